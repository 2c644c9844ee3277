CREATE TABLE "published_figure_rows" (
	"publication_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "published_figure_rows_publication_id_kind_key_pk" PRIMARY KEY("publication_id","kind","key")
);
--> statement-breakpoint
ALTER TABLE "published_figure_rows" ADD CONSTRAINT "published_figure_rows_publication_id_published_figures_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."published_figures"("id") ON DELETE no action ON UPDATE no action;