// The permission table lives in lib/ (pages read it to show or hide actions; the server enforces
// it in every procedure and route handler).
export { can, PERMISSIONS, type TAction } from "@/lib/permissions";
