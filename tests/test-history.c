/* test-history.c: the history page's model over a real SQLite file and the
 * database's worker thread: pages read on demand, search, changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-history-model.h"
#include "rl-test-lab.h"

#include <glib/gstdio.h>

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

int
main (int argc, char *argv[])
{
  rl_test_setup_env ();
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/history/pages", Fixture, NULL, fixture_set_up, test_pages, fixture_tear_down);
  g_test_add ("/history/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/history/changes", Fixture, NULL, fixture_set_up, test_changes, fixture_tear_down);
  g_test_add_func ("/history/unreadable", test_unreadable);
  return g_test_run ();
}
