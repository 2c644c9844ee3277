"use client";
import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { useQueryClient } from "@tanstack/react-query";
import { Clock, Flag, GripVertical, Star } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { STAGES, type TStage } from "@/lib/domain";
import { daysBetween, todayCN } from "@/lib/dates";
import { formatMoney, type TLocale } from "@/lib/money";
import type { TProjectFilters } from "@/server/projects/find-projects";
import { useTRPC } from "@/app/_lib/trpc/client";
import { StageMoveDialog, type TMovable } from "@/app/_components/projects/stage-move-dialog";
import { StatusBadge } from "@/app/_components/domain";
import { Alert, Badge } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";

type TCard = {
  id: string; version: number; code: string; name: string; investorName: string; unitName: string; ownerName: string | null;
  capitalType: "domestic" | "foreign"; plannedAmount: string; signedAmount: string | null; stage: TStage; status: "active" | "on_hold" | "lost";
  stageSince: string; isMajor: boolean; isStale: boolean; flagged: boolean;
};
type TColumn = { stage: TStage; count: number; plannedCny: string; plannedUsd: string; signedCny: string; signedUsd: string; cards: TCard[]; next: { stageSince: string; code: string } | null };

const HEAD = { contact: "border-t-slate-400", negotiation: "border-t-brand-500", signed: "border-t-violet-500", funds: "border-t-emerald-500" } as const;

/**
 * Kanban by stage. Drag a card (or use its "move to" menu button from the keyboard) to another column:
 * the stage-change dialog asks for the date and what the move needs; cancelling leaves the card
 * where it was. Totals come from the database; each column loads more cards on demand.
 */
export function Board({ filters, columns: initial, canMove }: { filters: TProjectFilters; columns: TColumn[]; canMove: boolean }) {
  const t = useTranslations();
  const locale = useLocale() as TLocale;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [columns, setColumns] = useState(initial);
  useEffect(() => setColumns(initial), [initial]);
  const [moving, setMoving] = useState<{ card: TCard; to: TStage } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loading, setLoading] = useState<TStage | null>(null);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor));
  const today = todayCN();

  function requestMove(card: TCard, to: TStage) {
    setNotice(null);
    if (to === card.stage) return;
    if (to === "funds") return setNotice(t("board.fundsByTranche"));
    setMoving({ card, to });
  }
  function onDragEnd(e: DragEndEvent) {
    const card = e.active.data.current as TCard | undefined;
    const to = e.over?.id as TStage | undefined;
    if (card && to) requestMove(card, to);
  }
  async function loadMore(col: TColumn) {
    if (!col.next) return;
    setLoading(col.stage);
    try {
      const page = await queryClient.fetchQuery(trpc.board.cards.queryOptions({ filters, stage: col.stage, after: col.next }));
      setColumns((cs) => cs.map((c) => (c.stage === col.stage ? { ...c, cards: [...c.cards, ...page.cards], next: page.next } : c)));
    } finally {
      setLoading(null);
    }
  }
  const money = (v: string, c: "CNY" | "USD") => formatMoney(v, c, locale);

  return (
    <div className="mt-4">
      {notice && <Alert tone="amber" className="mb-3" testId="board-notice">{notice}</Alert>}
      <DndContext sensors={sensors} onDragEnd={onDragEnd}>
        <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-4" data-testid="board">
          {columns.map((col) => (
            <Column key={col.stage} col={col} label={t(`enums.stage.${col.stage}`)}>
              <header className={cn("rounded-t-lg border-t-4 bg-white px-3 py-2.5", HEAD[col.stage])}>
                <div className="flex items-baseline justify-between">
                  <h2 className="text-sm font-semibold text-slate-900">{t(`enums.stage.${col.stage}`)}</h2>
                  <span className="text-sm font-semibold tabular text-slate-700" data-testid={`column-count-${col.stage}`}>{col.count}</span>
                </div>
                <dl className="mt-1 space-y-0.5 text-[11px] text-slate-500" data-testid={`column-totals-${col.stage}`}>
                  <div className="flex justify-between gap-2"><dt>{t("board.planned")}</dt><dd className="tabular">{money(col.plannedCny, "CNY")} · {money(col.plannedUsd, "USD")}</dd></div>
                  {(col.stage === "signed" || col.stage === "funds") && (
                    <div className="flex justify-between gap-2"><dt>{t("board.signed")}</dt><dd className="tabular" data-testid={`column-signed-${col.stage}`}>{money(col.signedCny, "CNY")} · {money(col.signedUsd, "USD")}</dd></div>
                  )}
                </dl>
              </header>
              <ul className="max-h-[70vh] min-h-24 space-y-2 overflow-y-auto p-2">
                {col.cards.map((card) => (
                  <Card key={card.id} card={card} canMove={canMove} onMove={requestMove} today={today} money={money} />
                ))}
                {col.cards.length === 0 && <li className="px-2 py-6 text-center text-xs text-slate-400">{t("board.empty")}</li>}
              </ul>
              {col.next && (
                <button type="button" onClick={() => loadMore(col)} disabled={loading === col.stage} className="mx-2 mb-2 rounded-md py-1.5 text-xs text-brand-700 ring-1 ring-brand-200 hover:bg-brand-50 disabled:opacity-60" data-testid={`load-more-${col.stage}`}>
                  {loading === col.stage ? t("common.loading") : t("board.more", { n: col.count - col.cards.length })}
                </button>
              )}
            </Column>
          ))}
        </div>
      </DndContext>
      {moving && (
        <StageMoveDialog
          project={{ id: moving.card.id, version: moving.card.version, stage: moving.card.stage, status: moving.card.status, currency: moving.card.capitalType === "foreign" ? "USD" : "CNY" } satisfies TMovable}
          initialStage={moving.to}
          onClose={() => setMoving(null)}
        />
      )}
    </div>
  );
}

function Column({ col, label, children }: { col: TColumn; label: string; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: col.stage });
  return (
    <section ref={setNodeRef} aria-label={label} data-testid={`column-${col.stage}`} className={cn("flex flex-col rounded-lg bg-slate-100/80 ring-1 ring-slate-200", isOver && "bg-brand-50 ring-2 ring-brand-400")}>
      {children}
    </section>
  );
}

function Card({ card, canMove, onMove, today, money }: { card: TCard; canMove: boolean; onMove: (c: TCard, to: TStage) => void; today: string; money: (v: string, c: "CNY" | "USD") => string }) {
  const t = useTranslations();
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: card.id, data: card, disabled: !canMove });
  const currency = card.capitalType === "foreign" ? "USD" : "CNY";
  const amount = card.signedAmount && (card.stage === "signed" || card.stage === "funds") ? card.signedAmount : card.plannedAmount;
  return (
    <li
      ref={setNodeRef}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      className={cn("rounded-md bg-white p-2.5 text-sm shadow-sm ring-1 ring-slate-200", isDragging && "z-10 opacity-90 shadow-lg ring-brand-400")}
      data-testid="board-card"
      data-code={card.code}
    >
      <div className="flex items-start gap-1.5">
        {canMove && (
          <button type="button" className="mt-0.5 cursor-grab rounded text-slate-300 hover:text-slate-500 active:cursor-grabbing" aria-label={t("board.drag", { name: card.name })} {...listeners} {...attributes}>
            <GripVertical className="size-4" aria-hidden />
          </button>
        )}
        <div className="min-w-0 flex-1">
          <Link href={`/projects/${card.id}`} className="line-clamp-2 font-medium text-slate-900 hover:text-brand-700">{card.name}</Link>
          <p className="mt-0.5 truncate text-xs text-slate-500">{card.investorName}</p>
        </div>
      </div>
      <div className="mt-1.5 flex flex-wrap items-center gap-1">
        <span className="font-mono text-[11px] text-slate-500">{card.code}</span>
        {card.isMajor && <Badge tone="amber"><Star className="mr-0.5 size-3" aria-hidden />{t("project.major")}</Badge>}
        {card.isStale && <Badge tone="slate"><Clock className="mr-0.5 size-3" aria-hidden />{t("board.stale")}</Badge>}
        {card.flagged && <Badge tone="red"><Flag className="mr-0.5 size-3" aria-hidden />{t("board.flagged")}</Badge>}
        <StatusBadge status={card.status} hideActive />
      </div>
      <div className="mt-1.5 flex items-end justify-between gap-2 text-xs text-slate-600">
        <span className="truncate">{card.unitName} · {card.ownerName ?? "—"}</span>
        <span className="shrink-0 font-medium tabular text-slate-800">{money(amount, currency)}</span>
      </div>
      <div className="mt-1.5 flex items-center justify-between gap-2">
        <span className="text-[11px] text-slate-400 tabular">{t("board.days", { days: daysBetween(card.stageSince, today) })}</span>
        {canMove && <MoveMenu card={card} onMove={onMove} />}
      </div>
    </li>
  );
}


/**
 * The keyboard way to move a card: a menu button. Arrow keys only move between the stages; a stage
 * acts on Enter, Space or a click (a <select> changed — and opened the dialog — on every arrow key).
 */
function MoveMenu({ card, onMove }: { card: TCard; onMove: (c: TCard, to: TStage) => void }) {
  const t = useTranslations();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<Array<HTMLButtonElement | null>>([]);
  const targets = STAGES.filter((s) => s !== card.stage);
  const [first, setFirst] = useState(0);
  useEffect(() => {
    if (open) items.current[first]?.focus();
  }, [open, first]);
  const show = (at: number) => {
    setFirst(at);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  function onItemKey(e: React.KeyboardEvent, i: number) {
    const n = targets.length;
    const go = (j: number) => items.current[(j + n) % n]?.focus();
    if (e.key === "ArrowDown") go(i + 1);
    else if (e.key === "ArrowUp") go(i - 1);
    else if (e.key === "Home") go(0);
    else if (e.key === "End") go(n - 1);
    else if (e.key === "Escape") close();
    else if (e.key === "Tab") setOpen(false);
    else return;
    if (e.key !== "Tab") e.preventDefault();
  }
  return (
    <div
      className="relative"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t("board.moveTo", { name: card.name })}
        className="h-6 rounded bg-slate-50 px-1.5 text-[11px] text-slate-600 ring-1 ring-slate-200 hover:bg-slate-100"
        onClick={() => (open ? setOpen(false) : show(0))}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            show(e.key === "ArrowUp" ? targets.length - 1 : 0);
          }
        }}
        data-testid="card-move"
      >
        {t("board.moveMenu")}
      </button>
      {open && (
        <ul role="menu" aria-label={t("board.moveTo", { name: card.name })} className="absolute right-0 z-20 mt-1 w-32 rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-200">
          {targets.map((s, i) => (
            <li key={s} role="none">
              <button
                ref={(el) => {
                  items.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="block w-full px-3 py-1.5 text-left text-xs text-slate-700 hover:bg-slate-50 focus:bg-brand-50 focus:outline-none"
                onKeyDown={(e) => onItemKey(e, i)}
                onClick={() => {
                  setOpen(false);
                  onMove(card, s);
                }}
                data-testid={`card-move-${s}`}
              >
                {t(`enums.stage.${s}`)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
