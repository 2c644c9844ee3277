"use client";
import { Printer } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/app/_components/ui/button";

export function PrintButton() {
  const t = useTranslations("reports");
  return (
    <Button variant="primary" onClick={() => window.print()}>
      <Printer className="size-4" aria-hidden />
      {t("print")}
    </Button>
  );
}
