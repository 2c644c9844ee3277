import Link from "next/link";
import { cn } from "./cn";

const variants = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 shadow-sm disabled:bg-brand-600/50",
  secondary: "bg-white text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 shadow-sm disabled:text-slate-400",
  ghost: "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
  danger: "bg-red-600 text-white hover:bg-red-700 shadow-sm disabled:bg-red-600/50",
} as const;
const sizes = { sm: "h-8 px-3 text-sm gap-1.5", md: "h-9 px-4 text-sm gap-2", lg: "h-11 px-5 text-base gap-2" } as const;

type TButtonStyle = { variant?: keyof typeof variants; size?: keyof typeof sizes };
export const buttonClass = ({ variant = "secondary", size = "md" }: TButtonStyle = {}, extra?: string) =>
  cn(
    "inline-flex items-center justify-center rounded-md font-medium whitespace-nowrap transition-colors disabled:cursor-not-allowed",
    variants[variant],
    sizes[size],
    extra,
  );

export function Button({ variant, size, className, type = "button", ...rest }: React.ButtonHTMLAttributes<HTMLButtonElement> & TButtonStyle) {
  return <button type={type} className={buttonClass({ variant, size }, className)} {...rest} />;
}

export function ButtonLink({ variant, size, className, ...rest }: React.ComponentProps<typeof Link> & TButtonStyle) {
  return <Link className={buttonClass({ variant, size }, className)} {...rest} />;
}
