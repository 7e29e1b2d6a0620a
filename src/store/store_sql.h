/* store_sql.h - the database schema and its migrations as compiled-in SQL
 * (generated into store_sql.c from db/ by db/embed.awk at build time).
 * Only store.c uses this. */
#ifndef NASVIEW_STORE_SQL_H
#define NASVIEW_STORE_SQL_H

typedef struct {
    int version;      /* schema version after the script has run */
    const char *name; /* file name: "schema.sql", "002_views.sql" */
    const char *sql;  /* the whole script */
} StoreSqlScript;

/* In increasing version order; [0] is schema.sql (version 1). */
extern const StoreSqlScript store_sql_scripts[];
extern const int store_sql_count;

#endif
