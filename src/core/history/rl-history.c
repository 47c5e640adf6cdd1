/* rl-history.c
 *
 * Call history in SQLite (WAL), written the moment a call ends. One worker
 * thread owns the connection and runs every read and write in the order
 * asked, so the main loop never waits on the disk. Rows carry whether the
 * backend has them yet: the sync sends the rest, and a restart mid-send just
 * sends them again (the backend keys rows by call id).
 *
 * A call is never dropped: a database that will not open is moved aside
 * (kept, and named in :problem) and a new one started; a call that cannot be
 * written stays queued in memory and is written again every few seconds,
 * :problem saying so until it lands. Reads show the rows of :owner only
 * (the signed-in agent, "" without one), so agents sharing a machine do not
 * see each other's calls.
 *
 * Longer than most files: every query runs on the one worker thread, so
 * each has a small request struct and a thread function beside its async
 * pair; the list model is rl-history-model.c, the search index
 * rl-history-index.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlHistory"

#include "rl-history-private.h"
#include "rl-error.h"
#include "rl-history-entry-private.h"
#include "rl-history-index.h"
#include "rl-idle.h"
#include "rl-variant.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Each entry takes the schema from its index to the next version. */
static const char *const migrations[] = {
  "CREATE TABLE calls ("
  " call_id TEXT PRIMARY KEY, owner TEXT NOT NULL DEFAULT '',"
  " started_at INTEGER NOT NULL, direction TEXT NOT NULL, status TEXT NOT NULL,"
  " number TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',"
  " duration INTEGER NOT NULL DEFAULT 0, record BLOB NOT NULL,"
  " recording_url TEXT NOT NULL DEFAULT '', synced INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX calls_by_time ON calls (started_at DESC);"
  "CREATE INDEX calls_unsynced ON calls (owner, started_at) WHERE synced = 0;",
  /* synced 2: the backend refused the row for good; sync_error says why. */
  "ALTER TABLE calls ADD COLUMN sync_error TEXT NOT NULL DEFAULT '';"
  "CREATE INDEX calls_by_owner ON calls (owner, started_at DESC);",
  /* synced 3: the backend has the row but not the data attached since
   * (SetData); data_rev counts those changes. */
  "ALTER TABLE calls ADD COLUMN data_rev INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX calls_patch ON calls (owner, started_at) WHERE synced = 3;",
};

#define RETRY_SECONDS 5
#define SYNCED_REJECTED 2
#define SYNCED_PATCH 3

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RL_HISTORY_SCHEMA_VERSION);

struct _RlHistory
{
  GObject parent_instance;

  char *db_path;
  char *owner; /* the main loop's: whose rows reads show */
  char *problem;
  guint retry_id;
  GThreadPool *worker;
  sqlite3 *db;           /* the worker's only, as is what follows */
  GQueue unsaved;        /* AddData not written yet */
  char *open_problem;    /* the database was replaced, or cannot be opened */
  char *write_problem;   /* the last failed write */
  guint max_pages;       /* tests: PRAGMA max_page_count, 0 for SQLite's own */
  RlHistoryIndex *index; /* built at the first search, for index_owner's rows */
  char *index_owner;
  char *last_search; /* and its matches, until a call is added */
  GArray *last_matches;
  gint closing; /* atomic: no more "changed" once the last reference went */
};

G_DEFINE_FINAL_TYPE (RlHistory, rl_history, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_OWNER,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef void (*JobFunc) (RlHistory *self, sqlite3 *db, gpointer data, GTask *task);

typedef struct
{
  JobFunc func;
  gpointer data;
  GDestroyNotify free_data;
  GTask *task; /* NULL for writes nobody waits on */
} Job;

void
rl_history_row_free (RlHistoryRow *row)
{
  g_free (row->call_id);
  g_clear_pointer (&row->record, g_variant_unref);
  g_free (row);
}

/* ---- the worker ---- */

typedef struct
{
  GVariant *record;
  char *owner;
  gboolean synced;
} AddData;

static void
add_data_free (AddData *add)
{
  g_variant_unref (add->record);
  g_free (add->owner);
  g_free (add);
}

static AddData *
add_data_copy (const AddData *add)
{
  AddData *copy = g_new0 (AddData, 1);

  copy->record = g_variant_ref (add->record);
  copy->owner = g_strdup (add->owner);
  copy->synced = add->synced;
  return copy;
}

static void run_add (RlHistory *self, sqlite3 *db, gpointer data, GTask *task);
static void run_retry (RlHistory *self, sqlite3 *db, gpointer data, GTask *task);

static gboolean
migrate (sqlite3 *db, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int version;

  sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  version = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  if (version > RL_HISTORY_SCHEMA_VERSION)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_FAILED,
                   "The history database is from a newer Ringline (schema %d)", version);
      return FALSE;
    }
  for (int v = version; v < RL_HISTORY_SCHEMA_VERSION; v++)
    {
      g_autofree char *sql
        = g_strdup_printf ("BEGIN; %s PRAGMA user_version=%d; COMMIT;", migrations[v], v + 1);

      if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
        {
          g_set_error (error, RL_ERROR, RL_ERROR_FAILED, "Cannot update the history database: %s",
                       sqlite3_errmsg (db));
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

static sqlite3 *
open_db (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  sqlite3 *db = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0
      || sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK
      || sqlite3_busy_timeout (db, 10000) != SQLITE_OK
      || sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL)
           != SQLITE_OK)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_FAILED, "Cannot open the history database %s: %s",
                   path, db ? sqlite3_errmsg (db) : g_strerror (errno));
      sqlite3_close (db);
      return NULL;
    }
  if (!migrate (db, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static gboolean
emit_changed (gpointer data)
{
  g_signal_emit (data, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  RlHistory *self;
  char *problem;
  gboolean retry; /* calls wait in memory */
} ProblemNews;

static void
problem_news_free (ProblemNews *news)
{
  g_object_unref (news->self);
  g_free (news->problem);
  g_free (news);
}

static gboolean on_retry_due (gpointer data);

static gboolean
apply_problem (gpointer data)
{
  ProblemNews *news = data;
  RlHistory *self = news->self;

  if (news->retry && self->retry_id == 0)
    self->retry_id = g_timeout_add_seconds (RETRY_SECONDS, on_retry_due, self);
  if (g_strcmp0 (self->problem, news->problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (news->problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }
  return G_SOURCE_REMOVE;
}

/* Tells the main loop what is wrong now, from the worker. */
static void
report_problem (RlHistory *self)
{
  ProblemNews *news = g_new0 (ProblemNews, 1);
  guint waiting = g_queue_get_length (&self->unsaved);

  news->self = g_object_ref (self);
  news->retry = waiting > 0;
  if (waiting)
    news->problem
      = g_strdup_printf (_ ("Calls not in the history yet: %u (%s). Ringline keeps "
                            "trying."),
                         waiting, self->write_problem ? self->write_problem : self->open_problem);
  else
    news->problem = g_strdup (self->open_problem ? self->open_problem : "");
  if (!g_atomic_int_get (&self->closing))
    rl_idle_post (NULL, G_PRIORITY_DEFAULT, apply_problem, news,
                  (GDestroyNotify) problem_news_free);
  else
    problem_news_free (news);
}

/* Renames the database and its journal to PATH.broken-TIME; returns the
 * new name. */
static char *
move_aside (const char *path, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.broken-%s", path, stamp);

  for (const char *const *suffix = (const char *const[]){ "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *from = g_strconcat (path, *suffix, NULL);
      g_autofree char *to = g_strconcat (aside, *suffix, NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  if (g_rename (path, aside) != 0)
    {
      int saved = errno;

      g_set_error (error, RL_ERROR, RL_ERROR_FAILED, "Cannot move %s aside: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&aside);
}

/* Opens the database; a file that is there but unreadable (corrupt, from
 * a newer Ringline) is kept under another name and a new one started. What
 * cannot be helped (no permission, a directory in the way) is tried again
 * at the next job. */
static void
open_or_replace (RlHistory *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) second = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *before = g_steal_pointer (&self->open_problem);

  self->db = open_db (self->db_path, &error);
  if (self->db == NULL && g_file_test (self->db_path, G_FILE_TEST_IS_REGULAR))
    {
      aside = move_aside (self->db_path, &second);
      if (aside)
        self->db = open_db (self->db_path, &second);
      if (self->db)
        self->open_problem = g_strdup_printf (_ ("The call history could not be read (%s). It "
                                                 "was kept as %s and a new one started."),
                                              error->message, aside);
      else
        self->open_problem = g_strdup (second->message);
    }
  else if (self->db == NULL)
    self->open_problem = g_strdup (error->message);
  if (g_strcmp0 (before, self->open_problem) != 0)
    {
      if (self->open_problem)
        g_warning ("%s", self->open_problem);
      report_problem (self);
    }
}

static gboolean write_add (RlHistory *self, sqlite3 *db, AddData *add);

/* Calls that could not be written before: first, oldest first. */
static void
write_unsaved (RlHistory *self)
{
  guint before = g_queue_get_length (&self->unsaved);
  AddData *add;

  while ((add = g_queue_peek_head (&self->unsaved)) && write_add (self, self->db, add))
    add_data_free (g_queue_pop_head (&self->unsaved));
  if (g_queue_is_empty (&self->unsaved))
    g_clear_pointer (&self->write_problem, g_free);
  if (before && g_queue_get_length (&self->unsaved) != before)
    {
      g_message ("%u waiting calls written to the history",
                 before - g_queue_get_length (&self->unsaved));
      report_problem (self);
    }
}

static void
run_job (gpointer data, gpointer user_data)
{
  Job *job = data;
  RlHistory *self = user_data;

  if (self->db == NULL)
    open_or_replace (self);
  if (self->db && !g_queue_is_empty (&self->unsaved))
    write_unsaved (self);
  if (self->db || job->func == run_add || job->func == run_retry)
    job->func (self, self->db, job->data, job->task);
  else if (job->task)
    g_task_return_new_error (job->task, RL_ERROR, RL_ERROR_FAILED,
                             "The history database cannot be opened: %s", self->open_problem);
  if (job->free_data)
    job->free_data (job->data);
  g_clear_object (&job->task);
  g_free (job);
}

static void
queue (RlHistory *self, JobFunc func, gpointer data, GDestroyNotify free_data, GTask *task)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  job->free_data = free_data;
  job->task = task;
  g_thread_pool_push (self->worker, job, NULL);
}

/* A write that changed rows: "changed" on the main loop, after it. */
static void
changed (RlHistory *self, sqlite3 *db)
{
  if (sqlite3_changes (db) > 0 && !g_atomic_int_get (&self->closing))
    rl_idle_post (NULL, G_PRIORITY_DEFAULT, emit_changed, g_object_ref (self), g_object_unref);
}

/* ---- writes ---- */

static gint64
started_ms (GVariant *record)
{
  const char *date = NULL;
  g_autoptr (GDateTime) time = NULL;

  if (g_variant_lookup (record, "date", "&s", &date))
    time = g_date_time_new_from_iso8601 (date, NULL);
  return time ? g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000
              : g_get_real_time () / 1000;
}

/* A string of a call record, "" when it has none. */
const char *
rl_history_record_text (GVariant *record, const char *key)
{
  const char *value = NULL;

  return g_variant_lookup (record, key, "&s", &value) ? value : "";
}

/* Returns: whether the row is on disk (or was already). */
static gboolean
write_add (RlHistory *self, sqlite3 *db, AddData *add)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean inbound = g_str_equal (rl_history_record_text (add->record, "direction"), "inbound");
  guint32 duration = 0;
  gint64 started = started_ms (add->record);
  sqlite3_int64 before;

  if (db == NULL)
    return FALSE;
  g_variant_lookup (add->record, "duration", "u", &duration);
  if (sqlite3_prepare_v2 (
        db,
        "INSERT INTO calls (call_id, owner, started_at, direction, status, number,"
        " name, duration, record, synced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (call_id) DO UPDATE SET synced = MAX(synced, excluded.synced)",
        -1, &stmt, NULL)
      != SQLITE_OK)
    goto failed;
  sqlite3_bind_text (stmt, 1, rl_history_record_text (add->record, "id"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, add->owner, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, started);
  sqlite3_bind_text (stmt, 4, rl_history_record_text (add->record, "direction"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, rl_history_record_text (add->record, "status"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, rl_history_record_text (add->record, inbound ? "from" : "to"), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, rl_history_record_text (add->record, "contact_name"), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, duration);
  sqlite3_bind_blob (stmt, 9, g_variant_get_data (add->record), g_variant_get_size (add->record),
                     SQLITE_STATIC);
  sqlite3_bind_int (stmt, 10, add->synced);
  before = sqlite3_last_insert_rowid (db);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto failed;
  if (self->index && g_strcmp0 (self->index_owner, add->owner) == 0
      && sqlite3_last_insert_rowid (db) != before)
    {
      rl_history_index_insert (self->index, sqlite3_last_insert_rowid (db), started,
                               rl_history_record_text (add->record, "contact_name"),
                               rl_history_record_text (add->record, inbound ? "from" : "to"));
      g_clear_pointer (&self->last_search, g_free);
    }
  changed (self, db);
  return TRUE;

failed:
  g_free (self->write_problem);
  self->write_problem = g_strdup (sqlite3_errmsg (db));
  g_warning ("Could not save call %s yet: %s", rl_history_record_text (add->record, "id"),
             self->write_problem);
  return FALSE;
}

static void
run_add (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  AddData *add = data;

  if (g_queue_is_empty (&self->unsaved) && write_add (self, db, add))
    return;
  /* Kept, in order, until a write succeeds. */
  g_queue_push_tail (&self->unsaved, add_data_copy (add));
  report_problem (self);
}

/**
 * rl_history_add:
 * @record: an ended call's record (a{sv} with at least id and date)
 * @owner: the signed-in user it belongs to, "" for none
 * @synced: whether the backend has it already
 */
void
rl_history_add (RlHistory *self, GVariant *record, const char *owner, gboolean synced)
{
  AddData *add = g_new0 (AddData, 1);

  g_return_if_fail (RL_IS_HISTORY (self));

  add->record = g_variant_get_normal_form (record);
  add->owner = g_strdup (owner ? owner : "");
  add->synced = synced;
  queue (self, run_add, add, (GDestroyNotify) add_data_free, NULL);
}

static void
run_retry (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  /* run_job wrote what it could; the problem says what is left. */
  report_problem (self);
}

static gboolean
on_retry_due (gpointer data)
{
  RlHistory *self = data;

  self->retry_id = 0;
  queue (self, run_retry, NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
run_set_max_pages (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %u", GPOINTER_TO_UINT (data));

  sqlite3_exec (db, sql, NULL, NULL, NULL);
}

void
_rl_history_set_max_pages (RlHistory *self, guint pages)
{
  queue (self, run_set_max_pages, GUINT_TO_POINTER (pages), NULL, NULL);
}

/**
 * rl_history_set_owner:
 * @owner: the signed-in agent's user id, "" for none
 *
 * Reads from now on show @owner's rows only; "changed" tells views to read
 * again.
 */
void
rl_history_set_owner (RlHistory *self, const char *owner)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  if (!owner)
    owner = "";
  if (g_strcmp0 (self->owner, owner) == 0)
    return;
  g_free (self->owner);
  self->owner = g_strdup (owner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNER]);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
rl_history_get_owner (RlHistory *self)
{
  g_return_val_if_fail (RL_IS_HISTORY (self), NULL);

  return self->owner;
}

/* Returns: what keeps calls from the history, "" when nothing does */
const char *
rl_history_get_problem (RlHistory *self)
{
  g_return_val_if_fail (RL_IS_HISTORY (self), NULL);

  return self->problem;
}

typedef struct
{
  char *call_id;
  gint64 revision;
} Synced;

static void
synced_free (Synced *synced)
{
  g_free (synced->call_id);
  g_free (synced);
}

/* Data attached while the row was on its way leaves it to be sent again. */
static GVariant *row_record (sqlite3_stmt *stmt, int column);

static void
run_mark_synced (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  Synced *synced = data;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  sqlite3_prepare_v2 (db, "UPDATE calls SET synced = 1 WHERE call_id = ? AND data_rev = ?", -1,
                      &stmt, NULL);
  sqlite3_bind_text (stmt, 1, synced->call_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, synced->revision);
  sqlite3_step (stmt);
  changed (self, db);
}

static void
run_flush (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  g_task_return_boolean (task, TRUE);
}

/**
 * rl_history_flush_async:
 *
 * Finishes once every write asked for before it is on disk: the worker runs
 * jobs in order.
 */
void
rl_history_flush_async (RlHistory *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  GTask *task;

  g_return_if_fail (RL_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rl_history_flush_async);
  queue (self, run_flush, NULL, NULL, task);
}

gboolean
rl_history_flush_finish (RlHistory *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The backend has @row as it was read. */
void
rl_history_mark_synced (RlHistory *self, const RlHistoryRow *row)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  Synced *synced = g_new0 (Synced, 1);

  synced->call_id = g_strdup (row->call_id);
  synced->revision = row->revision;
  queue (self, run_mark_synced, synced, (GDestroyNotify) synced_free, NULL);
}

typedef struct
{
  char *call_id;
  GVariant *data;
} SetData;

static void
set_data_free (SetData *set)
{
  g_free (set->call_id);
  g_variant_unref (set->data);
  g_free (set);
}

/* The record with @data merged into its "data", strings also at the top as
 * the call's own record has them. */
static GVariant *
record_with_data (GVariant *record, GVariant *data)
{
  g_autoptr (GVariant) before = g_variant_lookup_value (record, "data", G_VARIANT_TYPE_VARDICT);
  GVariantDict dict;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_dict_init (&dict, record);
  g_variant_dict_insert_value (&dict, "data", rl_variant_dict_merge (before, data));
  g_variant_iter_init (&iter, data);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
      g_variant_dict_insert_value (&dict, key, value);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static void
run_set_data (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  SetData *set = data;
  g_autoptr (sqlite3_stmt) read = NULL;
  g_autoptr (sqlite3_stmt) write = NULL;
  g_autoptr (GVariant) record = NULL;

  sqlite3_prepare_v2 (db, "SELECT record FROM calls WHERE call_id = ?", -1, &read, NULL);
  sqlite3_bind_text (read, 1, set->call_id, -1, SQLITE_STATIC);
  if (sqlite3_step (read) != SQLITE_ROW)
    return g_task_return_boolean (task, FALSE);
  {
    g_autoptr (GVariant) stored = g_variant_ref_sink (row_record (read, 0));

    record = record_with_data (stored, set->data);
  }
  sqlite3_prepare_v2 (db,
                      "UPDATE calls SET record = ?, data_rev = data_rev + 1,"
                      " synced = CASE synced WHEN 1 THEN 3 ELSE synced END WHERE call_id = ?",
                      -1, &write, NULL);
  sqlite3_bind_blob (write, 1, g_variant_get_data (record), g_variant_get_size (record),
                     SQLITE_STATIC);
  sqlite3_bind_text (write, 2, set->call_id, -1, SQLITE_STATIC);
  if (sqlite3_step (write) != SQLITE_DONE)
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_FAILED,
                                    "Cannot keep the data attached to call %s: %s", set->call_id,
                                    sqlite3_errmsg (db));
  changed (self, db);
  g_task_return_boolean (task, TRUE);
}

/**
 * rl_history_set_data_async:
 * @data: an a{sv}, checked by the caller (rl_call_check_data())
 *
 * Merges @data into the record of the ended call @call_id, and has the
 * backend told (the outbox sends the row, or patches it when the backend
 * has it already). Finish with rl_history_set_data_finish().
 */
void
rl_history_set_data_async (RlHistory *self, const char *call_id, GVariant *data,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SetData *set = g_new0 (SetData, 1);

  g_task_set_source_tag (task, rl_history_set_data_async);
  set->call_id = g_strdup (call_id);
  set->data = g_variant_ref_sink (data);
  queue (self, run_set_data, set, (GDestroyNotify) set_data_free, task);
}

/**
 * rl_history_set_data_finish:
 * @found: (out): whether the history has the call (a call still up has
 *   not reached it yet)
 */
gboolean
rl_history_set_data_finish (RlHistory *self, GAsyncResult *result, gboolean *found, GError **error)
{
  g_autoptr (GError) failure = NULL;
  gboolean had;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  had = g_task_propagate_boolean (G_TASK (result), &failure);
  if (found)
    *found = had;
  if (failure)
    {
      g_propagate_error (error, g_steal_pointer (&failure));
      return FALSE;
    }
  return TRUE;
}

static void
run_mark_rejected (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  char **pair = data;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  sqlite3_prepare_v2 (db, "UPDATE calls SET synced = ?, sync_error = ? WHERE call_id = ?", -1,
                      &stmt, NULL);
  sqlite3_bind_int (stmt, 1, SYNCED_REJECTED);
  sqlite3_bind_text (stmt, 2, pair[1], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, pair[0], -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  changed (self, db);
}

/**
 * rl_history_mark_rejected:
 * @why: the backend's refusal
 *
 * The backend will never take this row: the outbox skips it from now on,
 * and reads show @why as its sync_error.
 */
void
rl_history_mark_rejected (RlHistory *self, const char *call_id, const char *why)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  queue (self, run_mark_rejected, g_strdupv ((char *[]){ (char *) call_id, (char *) why, NULL }),
         (GDestroyNotify) g_strfreev, NULL);
}

static void
run_set_recording (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  char **pair = data;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  sqlite3_prepare_v2 (db, "UPDATE calls SET recording_url = ? WHERE call_id = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, pair[1], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, pair[0], -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  changed (self, db);
}

void
rl_history_set_recording_url (RlHistory *self, const char *call_id, const char *url)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  queue (self, run_set_recording, g_strdupv ((char *[]){ (char *) call_id, (char *) url, NULL }),
         (GDestroyNotify) g_strfreev, NULL);
}

/* ---- reads ---- */

static GVariant *
row_record (sqlite3_stmt *stmt, int column)
{
  g_autoptr (GBytes) bytes
    = g_bytes_new (sqlite3_column_blob (stmt, column), sqlite3_column_bytes (stmt, column));

  /* Written by us, but a file on disk is outside input all the same. */
  return g_variant_get_normal_form (
    g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));
}

typedef struct
{
  char *search; /* normalized, or NULL for every call */
  char *owner;
  guint offset;
  guint limit;
} ListQuery;

static void
list_query_free (ListQuery *query)
{
  g_free (query->search);
  g_free (query->owner);
  g_free (query);
}

static ListQuery *
list_query_new (RlHistory *self, const char *search, guint offset, guint limit)
{
  ListQuery *query = g_new0 (ListQuery, 1);

  query->search = rl_history_index_normalize (search ? search : "");
  if (*query->search == '\0')
    g_clear_pointer (&query->search, g_free);
  query->owner = g_strdup (self->owner);
  query->offset = offset;
  query->limit = limit;
  return query;
}

static void
run_get (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  ListQuery *query = data;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  sqlite3_prepare_v2 (db,
                      "SELECT record, synced, recording_url, sync_error FROM calls WHERE owner = ?"
                      " ORDER BY started_at DESC, call_id LIMIT ? OFFSET ?",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, query->owner, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, query->limit);
  sqlite3_bind_int64 (stmt, 3, query->offset);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (GVariant) record = g_variant_ref_sink (row_record (stmt, 0));
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_builder_open (&b, G_VARIANT_TYPE_VARDICT);
      g_variant_iter_init (&iter, record);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
        if (!g_str_equal (key, "synced") && !g_str_equal (key, "recording_url")
            && !g_str_equal (key, "sync_error"))
          g_variant_builder_add (&b, "{sv}", key, value);
      g_variant_builder_add (&b, "{sv}", "synced",
                             g_variant_new_boolean (sqlite3_column_int (stmt, 1) == 1));
      if (sqlite3_column_int (stmt, 1) == SYNCED_REJECTED)
        g_variant_builder_add (&b, "{sv}", "sync_error",
                               g_variant_new_string ((const char *) sqlite3_column_text (stmt, 3)));
      g_variant_builder_add (&b, "{sv}", "recording_url",
                             g_variant_new_string ((const char *) sqlite3_column_text (stmt, 2)));
      g_variant_builder_close (&b);
    }
  g_task_return_pointer (task, g_variant_ref_sink (g_variant_builder_end (&b)),
                         (GDestroyNotify) g_variant_unref);
}

void
rl_history_get_async (RlHistory *self, guint offset, guint limit, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, rl_history_get_async);
  queue (self, run_get, list_query_new (self, NULL, offset, limit),
         (GDestroyNotify) list_query_free, task);
}

/**
 * rl_history_get_finish:
 *
 * Returns: (transfer full): the rows, newest first, as aa{sv}
 */
GVariant *
rl_history_get_finish (RlHistory *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the history page's reads: narrow columns, optionally searched ---- */

static void
build_index (RlHistory *self, sqlite3 *db, const char *owner)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_clear_pointer (&self->index, rl_history_index_free);
  g_clear_pointer (&self->last_search, g_free);
  g_free (self->index_owner);
  self->index_owner = g_strdup (owner);
  self->index = rl_history_index_new ();
  sqlite3_prepare_v2 (db,
                      "SELECT rowid, started_at, name, number FROM calls WHERE owner = ?"
                      " ORDER BY started_at DESC, rowid DESC",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, owner, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    rl_history_index_insert (
      self->index, sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
      (const char *) sqlite3_column_text (stmt, 2), (const char *) sqlite3_column_text (stmt, 3));
}

static void
run_prepare_search (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  if (self->index == NULL || g_strcmp0 (self->index_owner, data) != 0)
    build_index (self, db, data);
}

/* Builds the search index now, on the worker, rather than at the first search. */
void
rl_history_prepare_search (RlHistory *self)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  queue (self, run_prepare_search, g_strdup (self->owner), g_free, NULL);
}

/* A search's count and then its pages ask for the same matches. */
static GArray *
matches (RlHistory *self, sqlite3 *db, const char *owner, const char *search)
{
  if (self->index == NULL || g_strcmp0 (self->index_owner, owner) != 0)
    build_index (self, db, owner);
  if (g_strcmp0 (self->last_search, search) != 0)
    {
      g_clear_pointer (&self->last_matches, g_array_unref);
      self->last_matches = rl_history_index_search (self->index, search);
      g_free (self->last_search);
      self->last_search = g_strdup (search);
    }
  return self->last_matches;
}

static void
run_count (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  ListQuery *query = data;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (query->search)
    {
      g_task_return_int (task, matches (self, db, query->owner, query->search)->len);
      return;
    }
  sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM calls WHERE owner = ?", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, query->owner, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_task_return_int (task, sqlite3_column_int64 (stmt, 0));
  else
    g_task_return_new_error (task, RL_ERROR, RL_ERROR_FAILED, "Cannot read the history: %s",
                             sqlite3_errmsg (db));
}

/* How many calls match @search (their name or number contains it; NULL or
 * "" for all). */
void
rl_history_count_async (RlHistory *self, const char *search, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, rl_history_count_async);
  queue (self, run_count, list_query_new (self, search, 0, 0), (GDestroyNotify) list_query_free,
         task);
}

gboolean
rl_history_count_finish (RlHistory *self, GAsyncResult *result, guint *count, GError **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  *count = (guint) MIN (n, G_MAXUINT);
  return TRUE;
}

#define ENTRY_COLUMNS "call_id, direction, status, number, name, started_at, duration"

static RlHistoryEntry *
entry_at (sqlite3_stmt *stmt)
{
  return _rl_history_entry_new (&(RlHistoryEntryFields){
    .call_id = (const char *) sqlite3_column_text (stmt, 0),
    .direction = (const char *) sqlite3_column_text (stmt, 1),
    .status = (const char *) sqlite3_column_text (stmt, 2),
    .number = (const char *) sqlite3_column_text (stmt, 3),
    .name = (const char *) sqlite3_column_text (stmt, 4),
    .started_at = sqlite3_column_int64 (stmt, 5),
    .duration = (guint) sqlite3_column_int64 (stmt, 6),
  });
}

static void
list_matches (RlHistory *self, sqlite3 *db, ListQuery *query, GPtrArray *entries)
{
  GArray *found = matches (self, db, query->owner, query->search);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  sqlite3_prepare_v2 (db, "SELECT " ENTRY_COLUMNS " FROM calls WHERE rowid = ?", -1, &stmt, NULL);
  for (guint i = query->offset; i < found->len && i - query->offset < query->limit; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (found, gint64, i));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (entries, entry_at (stmt));
      sqlite3_reset (stmt);
    }
}

static void
run_list (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  ListQuery *query = data;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_object_unref);

  if (query->search)
    list_matches (self, db, query, entries);
  else
    {
      sqlite3_prepare_v2 (db,
                          "SELECT " ENTRY_COLUMNS " FROM calls WHERE owner = ?"
                          " ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?",
                          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, query->owner, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, query->limit);
      sqlite3_bind_int64 (stmt, 3, query->offset);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (entries, entry_at (stmt));
    }
  g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

/* Up to @limit calls matching @search from @offset, newest first. */
void
rl_history_list_async (RlHistory *self, const char *search, guint offset, guint limit,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, rl_history_list_async);
  queue (self, run_list, list_query_new (self, search, offset, limit),
         (GDestroyNotify) list_query_free, task);
}

/**
 * rl_history_list_finish:
 *
 * Returns: (transfer full) (element-type RlHistoryEntry): the entries
 */
GPtrArray *
rl_history_list_finish (RlHistory *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char *owner;
  guint limit;
} UnsyncedQuery;

static void
unsynced_query_free (UnsyncedQuery *query)
{
  g_free (query->owner);
  g_free (query);
}

static void
run_get_unsynced (RlHistory *self, sqlite3 *db, gpointer data, GTask *task)
{
  UnsyncedQuery *query = data;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_history_row_free);

  /* Each half has its partial index. */
  sqlite3_prepare_v2 (db,
                      "SELECT call_id, record, synced, data_rev, started_at FROM calls WHERE "
                      "synced = 0 AND owner = ?1"
                      " UNION ALL SELECT call_id, record, synced, data_rev, started_at FROM calls"
                      " WHERE synced = 3 AND owner = ?1 ORDER BY 5 LIMIT ?2",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, query->owner, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, query->limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RlHistoryRow *row = g_new0 (RlHistoryRow, 1);

      row->call_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row->record = g_variant_ref_sink (row_record (stmt, 1));
      row->patch = sqlite3_column_int (stmt, 2) == SYNCED_PATCH;
      row->revision = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (rows, row);
    }
  g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

/* The oldest rows of @owner the backend does not have yet, or not with
 * their latest data (RlHistoryRow.patch). */
void
rl_history_get_unsynced_async (RlHistory *self, const char *owner, guint limit,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_return_if_fail (RL_IS_HISTORY (self));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  UnsyncedQuery *query = g_new0 (UnsyncedQuery, 1);

  g_task_set_source_tag (task, rl_history_get_unsynced_async);
  query->owner = g_strdup (owner);
  query->limit = limit;
  queue (self, run_get_unsynced, query, (GDestroyNotify) unsynced_query_free, task);
}

/**
 * rl_history_get_unsynced_finish:
 *
 * Returns: (transfer full) (element-type RlHistoryRow): the rows
 */
GPtrArray *
rl_history_get_unsynced_finish (RlHistory *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
rl_history_finalize (GObject *object)
{
  RlHistory *self = RL_HISTORY (object);

  /* Every queued write lands before the database closes. */
  g_atomic_int_set (&self->closing, TRUE);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_thread_pool_free (self->worker, FALSE, TRUE);
  if (self->db && !g_queue_is_empty (&self->unsaved))
    write_unsaved (self);
  if (!g_queue_is_empty (&self->unsaved))
    g_warning ("%u calls could not be written to the history before quitting: %s",
               g_queue_get_length (&self->unsaved),
               self->write_problem ? self->write_problem : self->open_problem);
  g_queue_clear_full (&self->unsaved, (GDestroyNotify) add_data_free);
  if (self->db)
    sqlite3_close (self->db);
  g_free (self->owner);
  g_free (self->problem);
  g_free (self->open_problem);
  g_free (self->write_problem);
  g_free (self->index_owner);
  g_clear_pointer (&self->index, rl_history_index_free);
  g_clear_pointer (&self->last_matches, g_array_unref);
  g_free (self->last_search);
  g_free (self->db_path);
  G_OBJECT_CLASS (rl_history_parent_class)->finalize (object);
}

static void
rl_history_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlHistory *self = RL_HISTORY (object);

  switch (prop_id)
    {
    case PROP_OWNER:
      g_value_set_string (value, self->owner);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_history_class_init (RlHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rl_history_finalize;
  object_class->get_property = rl_history_get_property;
  properties[PROP_OWNER]
    = g_param_spec_string ("owner", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * RlHistory:problem:
   *
   * Why calls are not (or not all) in the history, "" when nothing is wrong:
   * a database moved aside, calls waiting in memory.
   */
  properties[PROP_PROBLEM]
    = g_param_spec_string ("problem", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
rl_history_init (RlHistory *self)
{
  self->worker = g_thread_pool_new (run_job, self, 1, FALSE, NULL);
  self->owner = g_strdup ("");
  self->problem = g_strdup ("");
  g_queue_init (&self->unsaved);
}

/**
 * rl_history_new:
 * @db_path: (nullable): the database; NULL for the user's data dir
 */
RlHistory *
rl_history_new (const char *db_path)
{
  RlHistory *self = g_object_new (RL_TYPE_HISTORY, NULL);

  self->db_path = db_path
                    ? g_strdup (db_path)
                    : g_build_filename (g_get_user_data_dir (), "ringline", "history.db", NULL);
  return self;
}
