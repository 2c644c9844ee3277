import { can, createTRPCRouter } from "@/server/api/trpc";
import { boardCards, boardColumns, loadBoard, ZBoardCards } from "@/server/board/board";
import { ZProjectFilters } from "@/server/projects/find-projects";
import { globalSearch, ZSearch } from "@/server/search/search";

export const boardRouter = createTRPCRouter({
  load: can("project.read").input(ZProjectFilters).query(({ ctx, input }) => loadBoard(ctx.db, ctx.actor, input)),
  columns: can("project.read").input(ZProjectFilters).query(({ ctx, input }) => boardColumns(ctx.db, ctx.actor, input)),
  cards: can("project.read").input(ZBoardCards).query(({ ctx, input }) => boardCards(ctx.db, ctx.actor, input)),
  search: can("project.read").input(ZSearch).query(({ ctx, input }) => globalSearch(ctx.db, ctx.actor, input)),
});
