// Passwords that are refused whatever their length: the most common ones in published leak
// statistics, global and Chinese (CSDN/163/QQ-era lists: 123456, woaini1314, qq123456, a123456 …),
// plus names of places and offices a bureau's staff reach for. Compared case-insensitively.
const LIST = `
  123456 a123456 5201314 1314520 woaini 111111 666666 888888 123123 654321 abc123 qwerty iloveu
  000000 112233 121212 7758521 7758258 woaini1 qq123 password password1 password12 password123
  password1234 password! password@123 passw0rd passw0rd! p@ssw0rd p@ssw0rd1 p@ssw0rd123 p@ssword
  pa$$word pass1234 pass12345 passwort changeme changeme1 welcome1 welcome123 letmein1 letmein123
  12345678 123456789 1234567890 0123456789 87654321 987654321 9876543210 11111111 111111111
  1111111111 00000000 000000000 0000000000 22222222 33333333 44444444 55555555 66666666 77777777
  88888888 888888888 99999999 999999999 12341234 12121212 11223344 12344321 11112222 111222333
  112233445566 123123123 123123123123 123321123 123456123456 147258369 159753456 147852369
  741852963 963852741 123654789 321654987 789456123 456789123 159357456 258369147 13579246
  24681357 31415926 314159265 3.1415926 66668888 168168168 518518518 16888888 18888888 58585858
  12345678910 11235813 20082008 20080808 19491001 19880808 19900101 20000000 20202020 20212021
  20222022 20232023 20242024 20252025 20262026 1qaz2wsx 1qaz2wsx3edc 1qazxsw2 1qaz@wsx !qaz2wsx
  1qaz!qaz zaq12wsx zaq1xsw2 12qwaszx qazwsxedc qazwsx123 qazwsx1234 1q2w3e4r 1q2w3e4r5t
  1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 qwertyui qwertyuiop qwerty12 qwerty123 qwerty1234 qwer1234
  qwer@1234 qwert12345 12345qwert asdfghjk asdfghjkl asdf1234 asdf123456 asdfasdf zxcvbnm1
  zxcvbnm123 zxcv1234 zxcvbnma zxcvbnm,./ qweasdzxc qweasd123 qweqweqwe asdasdasd zxczxczxc
  qwe12345 qwe123456 asd123456 zxc123456 123qweasd 123qwe123 123asd123 123abc123 1234qwer 1234asdf
  1234abcd abcd1234 abc12345 abc123456 abc@123 abc@1234 abc@123456 abcdefgh abcdefg1 abcd12345
  a1234567 a12345678 a123456789 aa123456 aa12345678 aaa12345 aaaa1111 a1b2c3d4 a1s2d3f4 1a2b3c4d
  a5201314 z123456789 q123456789 w123456789 1234567a 12345678a 123456789a 123456789q 123456aa
  123456ab 123456abc 123456qq 123456as 123456asd 123456qwe 123456zxc a1111111 aaaaaaaa abcabcabc
  admin123 admin1234 admin12345 admin123456 admin888 admin@123 admin@1234 admin@123456 admin2023
  admin2024 admin2025 admin2026 admin@2024 admin@2025 admin@2026 administrator root1234 root@123
  root123456 test1234 test12345 test123456 guest123 user1234 user123456 system123 manager1
  master123 super123 iloveyou iloveyou1 iloveyou2 iloveu1314 iloveyou1314 sunshine princess
  football baseball superman batman123 trustno1 starwars whatever computer michelle jennifer
  internet dragon123 monkey123 shadow123 killer123 jordan23 liverpool chelsea1 arsenal1 mustang1
  freedom1 charlie1 samsung1 blink182 lovelove loveyou1 football1 princess1 sunshine1 qwertyu1
  888888aa woaini1314 woaini520 woaini521 woaini123 woaini1234 woaini12345 woaini123456 woaini13
  woaini5201314 woaiwojia woaiwoziji woaiwolaopo woaiwolaogong woainimen 5201314520 52013145
  52013141 1314520520 13145200 5201314a 520520520 5201314.. 13145201314 201314520 aini1314
  aini5201314 wo123456 woshishui wodemima mima1234 mima123456 mimamima nihao123 nihao123456
  nihaoma123 wangyut2 dearbook qq123456 qq12345678 qq123456789 qq5201314 qq666666 qq888888
  qq111111 qq000000 qq1314520 qq520520 wang123456 wang1234 li123456 zhang123456 zhang1234
  chen123456 liu123456 yang123456 huang123456 zhao123456 zhou123456 wu123456 xu123456 sun123456
  ma123456 zhu123456 hu123456 guo123456 he123456 lin123456 gao123456 luo123456 zheng123456
  liang123456 song123456 tang123456 han123456 feng123456 cao123456 deng123456 wangwei1 wangjing
  wangfang zhangwei zhangmin zhangyan liuyang123 xiaoming xiaohong xiaohua xiaoxiao xiaolong
  xiaoyu123 huanhuan tiantian jiajia123 yangyang lingling feifei123 pengpeng shanghai shanghai123
  beijing beijing123 beijing2008 zhongguo zhongguo123 china123 china1234 china2008 chinaren
  shenzhen guangzhou hangzhou dalian123 shenyang shenyang123 liaoning liaoning123 zhaoshang
  zhaoshang123 zhaoshangju zsj123456 zs123456 zs12345678 ln123456 zhengfu123 gov123456 bangong123
  caiwu123 renshi123
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));

// keyboard and counting runs: 8+ characters taken in order from one of these are refused too
const RUNS = [
  "01234567890123456789",
  "98765432109876543210",
  "abcdefghijklmnopqrstuvwxyz",
  "zyxwvutsrqponmlkjihgfedcba",
  "qwertyuiopasdfghjklzxcvbnm",
  "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
];

const alnum = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, "");

/**
 * True for a password that is on the list, one repeated character, a keyboard or counting run,
 * or the user's email (or its part before the @).
 */
export function isCommonPassword(password: string, email?: string | null): boolean {
  const p = password.trim().toLowerCase();
  if (COMMON_PASSWORDS.has(p)) return true;
  if (/^(.)\1*$/u.test(p)) return true;
  if (p.length >= 8 && RUNS.some((r) => r.includes(p))) return true;
  if (email) {
    const e = email.trim().toLowerCase();
    const local = e.split("@")[0] ?? "";
    if (p === e || (local.length >= 4 && alnum(p) === alnum(local))) return true;
  }
  return false;
}
