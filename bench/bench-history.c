/* bench-history.c: bench/history runs this.
 *
 * Fills a history database with N calls through RlHistory (as calls ending
 * would), then times, on the main loop, what the history page waits for:
 * a model opened on it until its count and first page are in (median of
 * five, with the database already open, as in the app; and once cold, which
 * opens it too), and searches by name and by digits (median and worst of 30). The reference is the
 * same count and first page read with plain SQLite, synchronously, in this process: the floor any
 * model over this database could reach. Prints JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-history-model.h"

#include <sqlite3.h>

static const char *const names[] = {
  "Alice Martin", "Bob Dupont", "Carmen García", "Dmitri Ivanov", "Eve Nakamura", "Farid Haddad", ""
};

static GVariant *
call_record (guint i)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (1700000000 + (gint64) i * 60);
  g_autofree char *date = g_date_time_format_iso8601 (when);
  g_autofree char *id = g_strdup_printf ("bench-%u", i);
  g_autofree char *number = g_strdup_printf ("+3491%07u", (i * 7919) % 10000000);
  const char *name = names[i % G_N_ELEMENTS (names)];
  gboolean inbound = i % 3 != 0;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "id", g_variant_new_string (id));
  g_variant_builder_add (&b, "{sv}", "date", g_variant_new_string (date));
  g_variant_builder_add (&b, "{sv}", "direction",
                         g_variant_new_string (inbound ? "inbound" : "outbound"));
  g_variant_builder_add (&b, "{sv}", inbound ? "from" : "to", g_variant_new_string (number));
  g_variant_builder_add (&b, "{sv}", "status",
                         g_variant_new_string (i % 5 == 0 ? "missed" : "answered"));
  g_variant_builder_add (&b, "{sv}", "duration", g_variant_new_uint32 (i % 600));
  if (*name)
    g_variant_builder_add (&b, "{sv}", "contact_name", g_variant_new_string (name));
  return g_variant_builder_end (&b);
}

static void
on_counted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint count = 0;

  rl_history_count_finish (RL_HISTORY (source), result, &count, NULL);
  *(guint *) user_data = count;
}

/* The worker runs jobs in order: once a count answers, every job before it is done. */
static void
drain (RlHistory *history)
{
  guint count = G_MAXUINT;

  rl_history_count_async (history, NULL, NULL, on_counted, &count);
  while (count == G_MAXUINT)
    g_main_context_iteration (NULL, TRUE);
}

static void
fill (RlHistory *history, guint n)
{
  for (guint i = 0; i < n; i++)
    rl_history_add (history, call_record (i), "", TRUE);
  drain (history);
}

static double
wait_loaded (RlHistoryModel *model, gint64 start)
{
  while (rl_history_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
open_model (RlHistory *history, guint *n_items)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (RlHistoryModel) model = rl_history_model_new (history);
  double ms = wait_loaded (model, start);
  g_autoptr (GObject) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

  g_assert (first && rl_history_entry_get_loaded (RL_HISTORY_ENTRY (first)));
  *n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  return ms;
}

static double
search (RlHistoryModel *model, const char *text)
{
  gint64 start = g_get_monotonic_time ();

  rl_history_model_set_search (model, text);
  return wait_loaded (model, start);
}

/* The floor: the same two statements, straight, on this thread. */
static double
reference (const char *path, const char *pattern)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *where = pattern ? " WHERE name LIKE ?1 OR number LIKE ?1" : "";
  g_autofree char *count_sql = g_strdup_printf ("SELECT COUNT(*) FROM calls%s", where);
  g_autofree char *page_sql = g_strdup_printf (
    "SELECT call_id, direction, status, number, name, started_at, duration FROM calls%s"
    " ORDER BY started_at DESC, call_id LIMIT 50",
    where);
  gint64 start;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  start = g_get_monotonic_time ();
  sqlite3_prepare_v2 (db, count_sql, -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  sqlite3_prepare_v2 (db, page_sql, -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int argc, char *argv[])
{
  static const char *const queries[] = { "ali", "garc", "91", "3491000", "zzz", "" };
  const char *dir = argc > 1 ? argv[1] : g_get_tmp_dir ();
  guint n = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 100000;
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr (RlHistory) history = rl_history_new (path);
  RlHistory *cold;
  g_autoptr (RlHistoryModel) model = NULL;
  double fill_ms, cold_ms, opens[5], times[G_N_ELEMENTS (queries) * 5], ref_open = 0,
                                                                        ref_search = 0;
  guint n_items = 0, runs = 0;
  gint64 start = g_get_monotonic_time ();

  fill (history, n);
  fill_ms = (g_get_monotonic_time () - start) / 1000.0;

  cold = rl_history_new (path);
  cold_ms = open_model (cold, &n_items);
  g_clear_object (&cold); /* waits for its worker: nothing runs beside what is timed */
  for (guint round = 0; round < 5; round++)
    opens[round] = open_model (history, &n_items);
  qsort (opens, 5, sizeof *opens, compare_doubles);
  g_assert_cmpuint (n_items, ==, n);

  model = rl_history_model_new (history);
  rl_history_model_prepare_search (model); /* as the page does when shown */
  wait_loaded (model, 0);
  drain (history); /* the agent types after the index is built */
  for (guint round = 0; round < 5; round++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      times[runs++] = search (model, queries[q]);
  qsort (times, runs, sizeof *times, compare_doubles);

  for (guint round = 0; round < 5; round++)
    {
      ref_open += reference (path, NULL) / 5;
      ref_search += reference (path, "%ali%") / 5;
    }
  g_print ("{\"calls\": %u, \"fill_ms\": %.1f, \"open_cold_ms\": %.2f, \"open_ms\": %.2f,"
           " \"search_median_ms\": %.2f, \"search_max_ms\": %.2f,"
           " \"reference_open_ms\": %.2f, \"reference_search_ms\": %.2f}\n",
           n, fill_ms, cold_ms, opens[2], times[runs / 2], times[runs - 1], ref_open, ref_search);
  return 0;
}
