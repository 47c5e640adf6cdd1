/* test-history.c: the history page's model over a real SQLite file and the
 * database's worker thread: pages read on demand, search, changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-history-model.h"
#include "rl-history-private.h"
#include "rl-test-lab.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef struct
{
  char *dir;
  RlHistory *history;
  RlHistoryModel *model;
} Fixture;

/* A call of the test's history, minute @minute after a fixed time. */
static GVariant *
record (guint minute, const char *id, const char *direction, const char *number, const char *name)
{
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (1800000000 + (gint64) minute * 60);

  return rl_test_call_record (when, id, direction, number, name,
                              g_str_equal (direction, "inbound") ? 0 : minute);
}

/* 120 calls a minute apart, call-N at minute N; every tenth from José García. */
static void
fill (RlHistory *history)
{
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *id = g_strdup_printf ("call-%u", i);
      g_autofree char *number = g_strdup_printf ("+3491555%04u", i);

      rl_history_add (
        history,
        record (i, id, i % 2 ? "inbound" : "outbound", number, i % 10 == 0 ? "José García" : NULL),
        "", TRUE);
    }
}

static gboolean
model_loaded (gpointer model)
{
  return !rl_history_model_get_loading (model);
}

static void
wait_loaded (RlHistoryModel *model)
{
  g_assert_true (rl_test_wait (model_loaded, model, 10));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("ringline-history-XXXXXX", NULL);
  path = g_build_filename (f->dir, "history.db", NULL);
  f->history = rl_history_new (path);
  fill (f->history);
  f->model = rl_history_model_new (f->history);
  wait_loaded (f->model);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->model);
  g_clear_object (&f->history); /* waits for its worker */
  for (const char *const *name
       = (const char *const[]){ "history.db", "history.db-wal", "history.db-shm", NULL };
       *name; name++)
    {
      g_autofree char *path = g_build_filename (f->dir, *name, NULL);

      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static RlHistoryEntry *
item (RlHistoryModel *model, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (model), position);
}

static gboolean
entry_loaded (gpointer entry)
{
  return rl_history_entry_get_loaded (entry);
}

static const char *
wait_id (RlHistoryEntry *entry)
{
  g_assert_true (rl_test_wait (entry_loaded, entry, 10));
  return rl_history_entry_get_call_id (entry);
}

static void
test_pages (Fixture *f, gconstpointer data)
{
  g_autoptr (RlHistoryEntry) first = item (f->model, 0);
  g_autoptr (RlHistoryEntry) last = NULL;
  g_autoptr (RlHistoryEntry) middle = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 120);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->model)) == RL_TYPE_HISTORY_ENTRY);

  /* The first page comes with the count: nothing to wait for. */
  g_assert_true (rl_history_entry_get_loaded (first));
  g_assert_cmpstr (rl_history_entry_get_call_id (first), ==, "call-119");
  g_assert_cmpstr (rl_history_entry_get_direction (first), ==, "inbound");
  g_assert_cmpstr (rl_history_entry_get_status (first), ==, "missed");
  g_assert_cmpstr (rl_history_entry_get_number (first), ==, "+34915550119");
  g_assert_cmpint (rl_history_entry_get_started_at (first), ==, (1800000000 + 119 * 60) * 1000LL);

  /* Later pages are placeholders filled in place. */
  last = item (f->model, 119);
  g_assert_false (rl_history_entry_get_loaded (last));
  g_assert_cmpstr (wait_id (last), ==, "call-0");
  g_assert_cmpstr (rl_history_entry_get_name (last), ==, "José García");
  g_assert_cmpuint (rl_history_entry_get_duration (last), ==, 0);
  middle = item (f->model, 60);
  g_assert_cmpstr (wait_id (middle), ==, "call-59");
  g_assert_cmpstr (rl_history_entry_get_direction (middle), ==, "inbound");
  g_assert_null (item (f->model, 120));
}

static guint
search_count (RlHistoryModel *model, const char *text)
{
  rl_history_model_set_search (model, text);
  wait_loaded (model);
  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

static void
test_search (Fixture *f, gconstpointer data)
{
  g_autoptr (RlHistoryEntry) found = NULL;

  /* Names without case or accents, any part of them. */
  g_assert_cmpuint (search_count (f->model, "garcia"), ==, 12);
  g_assert_cmpuint (search_count (f->model, "JOSÉ GAR"), ==, 12);
  found = item (f->model, 0);
  g_assert_cmpstr (wait_id (found), ==, "call-110");
  g_clear_object (&found);
  found = item (f->model, 11);
  g_assert_cmpstr (wait_id (found), ==, "call-0");
  g_clear_object (&found);

  /* Numbers by their digits, however they are typed. */
  g_assert_cmpuint (search_count (f->model, "+34 91 555 0042"), ==, 1);
  found = item (f->model, 0);
  g_assert_cmpstr (wait_id (found), ==, "call-42");
  g_assert_cmpuint (search_count (f->model, "555 00"), ==, 100);
  g_assert_cmpuint (search_count (f->model, "(91) 555-011"), ==, 10);

  /* SQL wildcards are just characters; nothing matches nothing. */
  g_assert_cmpuint (search_count (f->model, "gar%a"), ==, 0);
  g_assert_cmpuint (search_count (f->model, "zzz"), ==, 0);
  g_assert_cmpuint (search_count (f->model, "   "), ==, 120);
  g_assert_cmpstr (rl_history_model_get_search (f->model), ==, "");
}

typedef struct
{
  guint position, removed, added;
} Change;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Change *change)
{
  *change = (Change){ position, removed, added };
}

/* A new call shows on top, also in a search it matches; a change to a row
 * (its recording) leaves the list where it is. */
static void
test_changes (Fixture *f, gconstpointer data)
{
  Change change = { G_MAXUINT, 0, 0 };
  g_autoptr (RlHistoryEntry) top = NULL;

  g_signal_connect (f->model, "items-changed", G_CALLBACK (on_items_changed), &change);
  rl_history_add (f->history, record (500, "call-new", "inbound", "+34600111222", "Ana Núñez"), "",
                  FALSE);
  g_assert_true (rl_test_wait (model_loaded, f->model, 10));
  while (change.position == G_MAXUINT)
    g_main_context_iteration (NULL, TRUE);
  wait_loaded (f->model);
  g_assert_cmpuint (change.removed, ==, 120);
  g_assert_cmpuint (change.added, ==, 121);
  top = item (f->model, 0);
  g_assert_cmpstr (rl_history_entry_get_call_id (top), ==, "call-new");
  g_assert_cmpuint (search_count (f->model, "nunez"), ==, 1);

  /* The same call again (the backend's copy) adds nothing. */
  rl_history_add (f->history, record (500, "call-new", "inbound", "+34600111222", "Ana Núñez"), "",
                  TRUE);
  rl_test_sleep (200);
  wait_loaded (f->model);
  g_assert_cmpuint (search_count (f->model, "600111"), ==, 1);
  g_assert_cmpuint (search_count (f->model, ""), ==, 121);

  change.position = G_MAXUINT;
  rl_history_set_recording_url (f->history, "call-new", "https://example.com/r.wav");
  rl_test_sleep (200);
  wait_loaded (f->model);
  g_assert_cmpuint (change.position, ==, G_MAXUINT);
}

/* A database that cannot be opened: an empty list and a plain warning. */
static void
test_unreadable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-history-XXXXXX", NULL);
  g_autoptr (RlHistory) history = rl_history_new (dir); /* a directory */
  g_autoptr (RlHistoryModel) model = NULL;

  g_test_expect_message ("RlHistory", G_LOG_LEVEL_WARNING, "*Cannot open*");
  g_test_expect_message ("RlHistoryModel", G_LOG_LEVEL_WARNING, "*cannot be opened*");
  g_test_expect_message ("RlHistoryModel", G_LOG_LEVEL_WARNING, "*cannot be opened*");
  model = rl_history_model_new (history);
  wait_loaded (model);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_clear_object (&model);
  g_clear_object (&history);
  g_rmdir (dir);
}

static guint
n_rows (RlHistory *history)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) rows = rl_test_read_history (history, 0, 1000, &error);

  g_assert_no_error (error);
  return g_variant_n_children (rows);
}

static gboolean
has_problem (gpointer history)
{
  return *rl_history_get_problem (history) != '\0';
}

static gboolean
no_problem (gpointer history)
{
  n_rows (history); /* a job: the worker writes what waits first */
  return *rl_history_get_problem (history) == '\0';
}

/* The file the history was kept in, moved aside: PATH.broken-TIME. */
static char *
find_aside (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, "history.db.broken-") && !g_str_has_suffix (name, "-wal")
        && !g_str_has_suffix (name, "-shm"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

/* A database that is there but cannot be read (not SQLite, a newer
 * schema): kept aside, named in :problem, a new one takes the calls. */
static void
test_replaced (gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_autoptr (RlHistory) history = NULL;

  if (g_str_equal (data, "garbage"))
    g_assert_true (g_file_set_contents (path, "This is not a database, but evidence.", -1, NULL));
  else
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (
        sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99;", NULL, NULL, NULL),
        ==, SQLITE_OK);
      sqlite3_close (db);
    }
  history = rl_history_new (path);
  g_test_expect_message ("RlHistory", G_LOG_LEVEL_WARNING, "*was kept as*");
  rl_history_add (history, record (1, "call-1", "outbound", "+34915550001", NULL), "", FALSE);
  g_assert_cmpuint (n_rows (history), ==, 1);
  g_test_assert_expected_messages ();
  g_assert_true (rl_test_wait (has_problem, history, 10));
  aside = find_aside (dir);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (rl_history_get_problem (history), aside));
  if (g_str_equal (data, "garbage"))
    {
      g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, "This is not a database, but evidence.");
    }
  g_clear_object (&history);
  rl_test_remove_tree (dir);
}

/* A full disk: calls wait in memory, in order, :problem says how many, and
 * they land once there is room. */
static void
test_disk_full (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr (RlHistory) history = rl_history_new (path);
  GLogLevelFlags fatal;

  g_assert_cmpuint (n_rows (history), ==, 0);
  _rl_history_set_max_pages (history, 1); /* no page more than it has */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("call-%u", i);

      rl_history_add (
        history, record (i, id, "inbound", "+34915550001", "A long name to fill pages"), "", FALSE);
    }
  g_assert_true (rl_test_wait (has_problem, history, 10));
  g_assert_nonnull (strstr (rl_history_get_problem (history), "not in the history yet"));
  g_assert_cmpuint (n_rows (history), <, 300);
  _rl_history_set_max_pages (history, 1000000);
  g_assert_true (rl_test_wait (no_problem, history, 15));
  g_log_set_always_fatal (fatal);
  g_assert_cmpuint (n_rows (history), ==, 300);
  g_clear_object (&history);
  rl_test_remove_tree (dir);
}

/* Two agents on one machine: each sees their own calls, in reads and in
 * the window's list and search; signed out, the calls made signed out. */
static void
test_owners (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-history-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr (RlHistory) history = rl_history_new (path);
  g_autoptr (RlHistoryModel) model = rl_history_model_new (history);

  rl_history_add (history, record (1, "a-1", "outbound", "+34915550001", "Ana"), "agent-a", FALSE);
  rl_history_add (history, record (2, "a-2", "inbound", "+34915550002", "Luis"), "agent-a", FALSE);
  rl_history_add (history, record (3, "b-1", "outbound", "+34915550003", "Ana"), "agent-b", FALSE);
  rl_history_add (history, record (4, "none", "outbound", "+34915550004", NULL), "", FALSE);
  g_assert_cmpuint (n_rows (history), ==, 1);
  rl_history_set_owner (history, "agent-a");
  g_assert_cmpuint (n_rows (history), ==, 2);
  g_assert_cmpuint (search_count (model, ""), ==, 2);
  g_assert_cmpuint (search_count (model, "ana"), ==, 1);
  rl_history_set_owner (history, "agent-b");
  wait_loaded (model);
  g_assert_cmpuint (search_count (model, "ana"), ==, 1);
  g_assert_cmpuint (search_count (model, "5550001"), ==, 0);
  g_assert_cmpuint (search_count (model, ""), ==, 1);
  g_clear_object (&model);
  g_clear_object (&history);
  rl_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  rl_test_setup_env ();
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/history/pages", Fixture, NULL, fixture_set_up, test_pages, fixture_tear_down);
  g_test_add ("/history/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/history/changes", Fixture, NULL, fixture_set_up, test_changes, fixture_tear_down);
  g_test_add_func ("/history/unreadable", test_unreadable);
  g_test_add_data_func ("/history/replaced-garbage", "garbage", test_replaced);
  g_test_add_data_func ("/history/replaced-newer", "newer", test_replaced);
  g_test_add_func ("/history/disk-full", test_disk_full);
  g_test_add_func ("/history/owners", test_owners);
  return g_test_run ();
}
