/* rl-contact-store.c
 *
 * Contacts come from sources: each app that pushes over D-Bus names one, and
 * imported vCard files are the source "vcard", kept in SQLite in the user
 * data dir. Parsing, number normalization and indexing happen in worker
 * threads that hand the main loop finished segments of BATCH contacts; taking
 * one is O(1), so the window never waits, and search covers what is indexed
 * so far. A source's generation number drops segments that arrive after the
 * source was cleared.
 *
 * Longer than most files: the feeds (worker threads), the writer thread and
 * search share the segments and the sources' generations, and each part is
 * read best beside the others. The database is rl-contact-db.c, a contact's
 * wire form rl-contact.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlContacts"

#include "rl-contact-store.h"
#include "rl-contact-db.h"
#include "rl-contact-segment.h"
#include "rl-error.h"
#include "rl-idle.h"
#include "rl-phone-number.h"
#include "rl-text.h"
#include "rl-vcard-parser.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BATCH 4096
#define READ_SIZE (256 * 1024)
#define CANDIDATES_PER_SEGMENT(limit) ((limit) *4 + 16)

struct _RlContactStore
{
  GObject parent_instance;

  char *db_path;
  char *region;
  GPtrArray *segments;     /* RlContactSegment, oldest first */
  GHashTable *generations; /* source → guint */
  guint busy;              /* worker threads running */
  GThreadPool *writer;     /* one thread: saves and removals, in their order */
  GThreadPool *reaper;     /* frees replaced segments away from the main loop */
};

G_DEFINE_FINAL_TYPE (RlContactStore, rl_contact_store, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  SIGNAL_IMPORT_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
generation_of (RlContactStore *self, const char *source)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->generations, source));
}

static guint
next_generation (RlContactStore *self, const char *source)
{
  guint generation = generation_of (self, source) + 1;

  g_hash_table_insert (self->generations, g_strdup (source), GUINT_TO_POINTER (generation));
  return generation;
}

/* --- feeding segments from a worker thread ------------------------------ */

/* What a worker needs; the worker owns it. */
typedef struct
{
  RlContactStore *store;
  GMainContext *context;
  char *source;
  char *region;
  char *db_path;
  guint generation;
  GPtrArray *batch;
  GPtrArray *posted; /* the segments sent so far, to be replaced by one */
  guint added;
  guint skipped;
  guint unsaved;    /* an import's rows the database did not take */
  char *save_error; /* and why */
  char *label;      /* for progress: the file's path, or the source */
  GFile *file;      /* an import's */
  int fd;           /* or the file a D-Bus caller handed over; -1 for none */
  /* A push's: the caller's task, the contacts until the worker takes them,
   * their normal form for the writer, and whether to save them. */
  GTask *caller;
  GVariant *contacts;
  GVariant *normal;
  gboolean persist;
} Feed;

static Feed *
feed_new (RlContactStore *self, const char *source, const char *label)
{
  Feed *feed = g_new0 (Feed, 1);

  feed->store = g_object_ref (self);
  feed->context = g_main_context_ref_thread_default ();
  feed->source = g_strdup (source);
  feed->region = g_strdup (self->region);
  feed->db_path = g_strdup (self->db_path);
  feed->generation = generation_of (self, source);
  feed->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_unref);
  feed->posted = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_segment_unref);
  feed->label = g_strdup (label);
  feed->fd = -1;
  return feed;
}

static void
feed_free (Feed *feed)
{
  g_object_unref (feed->store);
  g_main_context_unref (feed->context);
  g_free (feed->source);
  g_free (feed->region);
  g_free (feed->db_path);
  g_ptr_array_unref (feed->batch);
  g_clear_pointer (&feed->posted, g_ptr_array_unref);
  g_free (feed->label);
  g_clear_object (&feed->file);
  if (feed->fd >= 0)
    close (feed->fd);
  g_clear_object (&feed->caller);
  g_clear_pointer (&feed->contacts, g_variant_unref);
  g_clear_pointer (&feed->normal, g_variant_unref);
  g_free (feed->save_error);
  g_free (feed);
}

typedef struct
{
  RlContactStore *store;
  RlContactSegment *segment;
  guint generation;
  guint added;
  guint skipped;
  char *label;
  GPtrArray *replaces; /* segments this one stands for, or NULL */
} Post;

static void
post_free (gpointer data)
{
  Post *post = data;

  g_object_unref (post->store);
  rl_contact_segment_unref (post->segment);
  g_free (post->label);
  g_free (post);
}

/* In the main loop: O(1) for a new segment; a merged one replaces the
 * segments it stands for, which are freed by the reaper thread. */
static gboolean
take_segment (gpointer data)
{
  Post *post = data;
  RlContactStore *self = post->store;
  const char *source = rl_contact_segment_get_source (post->segment);
  gboolean current = post->generation == generation_of (self, source);

  if (post->replaces)
    {
      for (guint i = 0; current && i < post->replaces->len; i++)
        g_ptr_array_remove (self->segments, g_ptr_array_index (post->replaces, i));
      g_thread_pool_push (self->reaper, g_steal_pointer (&post->replaces), NULL);
    }
  if (!current)
    return G_SOURCE_REMOVE; /* the source was cleared meanwhile */
  g_ptr_array_add (self->segments, rl_contact_segment_ref (post->segment));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  g_signal_emit (self, signals[SIGNAL_IMPORT_PROGRESS], 0, post->label, post->added, post->skipped);
  return G_SOURCE_REMOVE;
}

/* In the worker: indexes the batch and sends it to the main loop. Same
 * priority as the task's completion, so all segments land before it. */
static void
post (Feed *feed, RlContactSegment *segment, GPtrArray *replaces)
{
  Post *post = g_new0 (Post, 1);

  post->store = g_object_ref (feed->store);
  post->generation = feed->generation;
  post->added = feed->added;
  post->skipped = feed->skipped;
  post->label = g_strdup (feed->label);
  post->segment = segment;
  post->replaces = replaces;
  rl_idle_post (feed->context, G_PRIORITY_DEFAULT, take_segment, post, post_free);
}

static void
flush (Feed *feed)
{
  RlContactSegment *segment;

  if (feed->batch->len == 0)
    return;
  segment = rl_contact_segment_new (feed->source, g_steal_pointer (&feed->batch));
  g_ptr_array_add (feed->posted, rl_contact_segment_ref (segment));
  feed->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_unref);
  post (feed, segment, NULL);
}

/* At the end of a source's feed: small segments made it searchable at once;
 * one segment for all of it makes each search a single binary search instead
 * of one per segment. Their arrays are sorted already, so they are merged,
 * not sorted again. */
static void
finish (Feed *feed)
{
  flush (feed);
  if (feed->posted->len > 1)
    {
      RlContactSegment *merged = rl_contact_segment_merge (feed->source, feed->posted);

      post (feed, merged, g_steal_pointer (&feed->posted));
    }
  g_clear_pointer (&feed->posted, g_ptr_array_unref);
}

/* A new source in the same feed (the load): its own segments. */
static void
finish_source (Feed *feed)
{
  finish (feed);
  feed->posted = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_segment_unref);
}

static void
feed_add (Feed *feed, RlContact *contact)
{
  g_ptr_array_add (feed->batch, contact);
  feed->added++;
  if (feed->batch->len >= BATCH)
    flush (feed);
}

/* --- the database --------------------------------------------------------- */

/* What the writer thread does: replace @source's rows by @contacts (an
 * aa{sv} already checked, or NULL to remove them). */
typedef struct
{
  char *db_path;
  char *source;
  GVariant *contacts;
  GTask *done; /* the caller, told once the change is on disk */
} Write;

static void
write_free (Write *write)
{
  g_free (write->db_path);
  g_free (write->source);
  g_clear_pointer (&write->contacts, g_variant_unref);
  g_clear_object (&write->done);
  g_free (write);
}

/* In the writer thread, one transaction. */
static void
write_source (gpointer data, gpointer user_data)
{
  Write *write = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlContactDb) db = rl_contact_db_open (write->db_path, &error);

  /* No database: nothing was saved that a removal would have to undo. */
  if (db == NULL && write->contacts == NULL)
    g_clear_error (&error);
  else if (db && !rl_contact_db_replace_source (db, write->source, write->contacts))
    error = g_error_new (RL_ERROR, RL_ERROR_FAILED, "Cannot save the contacts of %s: %s",
                         write->source, rl_contact_db_get_error (db));
  if (error)
    g_warning ("%s", error->message);
  if (write->done && error)
    g_task_return_error (write->done, g_steal_pointer (&error));
  else if (write->done)
    g_task_return_boolean (write->done, TRUE);
  write_free (write);
}

/* Saved sources change in the order asked, whatever the indexing does. */
static void
queue_write (RlContactStore *self, const char *source, GVariant *contacts, GTask *done)
{
  Write *write = g_new0 (Write, 1);

  write->db_path = g_strdup (self->db_path);
  write->source = g_strdup (source);
  write->contacts = contacts ? g_variant_ref (contacts) : NULL;
  write->done = done ? g_object_ref (done) : NULL;
  g_thread_pool_push (self->writer, write, NULL);
}

/* A segment holds one source's contacts, so the feed turns to the next
 * source as the rows do. */
static void
feed_switch_source (Feed *feed, const char *source)
{
  if (g_strcmp0 (feed->source, source) == 0)
    return;
  finish_source (feed);
  g_free (feed->source);
  feed->source = g_strdup (source);
  g_free (feed->label);
  feed->label = g_strdup (source);
  feed->added = 0;
}

static void
on_loaded (RlContact *contact, gpointer user_data)
{
  Feed *feed = user_data;

  feed_switch_source (feed, contact->source);
  feed_add (feed, contact);
}

/* Loads the persisted contacts of every source (worker thread). It runs at
 * startup with generation 0: a source pushed or cleared meanwhile has moved
 * past it, so its stale rows are dropped on arrival. */
static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Feed *feed = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlContactDb) db = rl_contact_db_open (feed->db_path, &error);

  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  rl_contact_db_load (db, feed->region, on_loaded, feed);
  finish (feed);
  g_task_return_boolean (task, TRUE);
}

/* --- importing vCard files --------------------------------------------------- */

typedef struct
{
  Feed *feed;
  RlContactDb *db;
  GHashTable *seen; /* ids in this file, when there is no database */
} Import;

/* A card's id: its UID, or a digest of what it says. */
static char *
card_id (RlVcard *card)
{
  g_autoptr (GChecksum) sum = NULL;

  if (card->uid && *card->uid)
    return g_strdup (card->uid);
  sum = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sum, (const guchar *) card->name, -1);
  for (guint i = 0; i < card->phones->len; i++)
    g_checksum_update (sum, g_ptr_array_index (card->phones, i), -1);
  for (guint i = 0; i < card->emails->len; i++)
    g_checksum_update (sum, g_ptr_array_index (card->emails, i), -1);
  return g_strdup (g_checksum_get_string (sum));
}

static void
on_card (RlVcard *card, gpointer user_data)
{
  Import *import = user_data;
  g_autofree char *id = card_id (card);
  RlContact *c;

  g_ptr_array_add (card->phones, NULL);
  g_ptr_array_add (card->emails, NULL);
  c = rl_contact_new (RL_CONTACTS_IMPORTED, id, card->name,
                      (const char *const *) card->phones->pdata,
                      (const char *const *) card->emails->pdata, import->feed->region);
  c->company = g_steal_pointer (&card->company);
  c->note = g_steal_pointer (&card->note);
  rl_vcard_free (card);
  if (import->db)
    switch (rl_contact_db_insert (import->db, c))
      {
      case RL_CONTACT_DB_DUPLICATE:
        rl_contact_unref (c); /* already imported */
        return;
      case RL_CONTACT_DB_FAILED:
        /* Searchable until Ringline quits, and counted apart. */
        if (import->feed->unsaved++ == 0)
          import->feed->save_error = g_strdup (rl_contact_db_get_error (import->db));
        break;
      case RL_CONTACT_DB_INSERTED:
        break;
      }
  else if (!g_hash_table_add (import->seen, g_strdup (id)))
    {
      rl_contact_unref (c);
      return;
    }
  feed_add (import->feed, c);
}

/* Only regular files up to the documented size: a FIFO or a device would
 * hold the worker thread (and, ten at a time, the whole pool) for as long
 * as the other end likes. Takes @fd. */
static GInputStream *
stream_for_fd (int fd, const char *name, GError **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "Cannot import %s: not a regular file", name);
      return NULL;
    }
  if (st.st_size > RL_CONTACTS_MAX_IMPORT_BYTES)
    {
      close (fd);
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "Cannot import %s: larger than %u MiB", name,
                   (guint) (RL_CONTACTS_MAX_IMPORT_BYTES / (1024 * 1024)));
      return NULL;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return g_unix_input_stream_new (fd, TRUE);
}

/* Opened without blocking: opening a FIFO waits for a writer. */
static GInputStream *
open_import (Feed *feed, GError **error)
{
  g_autofree char *path = feed->file ? g_file_get_path (feed->file) : NULL;
  g_autofree char *name = feed->file ? g_file_get_parse_name (feed->file) : NULL;
  int fd;

  if (feed->fd >= 0)
    {
      fd = feed->fd;
      feed->fd = -1;
      return stream_for_fd (fd, "the file handed over", error);
    }
  if (path == NULL)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "Cannot import %s: only local files can be imported", name);
      return NULL;
    }
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "Cannot import %s: %s", name,
                   g_strerror (saved));
      return NULL;
    }
  return stream_for_fd (fd, name, error);
}

static gboolean
read_file (RlVcardParser *parser, GCancellable *cancellable, Feed *feed, GError **error)
{
  g_autoptr (GInputStream) in = open_import (feed, error);
  g_autofree char *buf = g_malloc (READ_SIZE);
  gsize total = 0;
  gssize n;

  if (in == NULL)
    return FALSE;
  while ((n = g_input_stream_read (in, buf, READ_SIZE, cancellable, error)) > 0)
    {
      /* A file that grows while it is read stops at the limit too. */
      total += n;
      if (total > RL_CONTACTS_MAX_IMPORT_BYTES)
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                       "Cannot import the file: larger than %u MiB",
                       (guint) (RL_CONTACTS_MAX_IMPORT_BYTES / (1024 * 1024)));
          return FALSE;
        }
      if (!rl_vcard_parser_feed (parser, buf, n, error))
        return FALSE;
      feed->skipped = rl_vcard_parser_get_n_skipped (parser);
    }
  return n == 0 && rl_vcard_parser_end (parser, error);
}

static void
import_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Feed *feed = task_data;
  Import import = { feed };
  g_autoptr (GError) db_error = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (RlContactDb) db = rl_contact_db_open (feed->db_path, &db_error);
  g_autoptr (RlVcardParser) parser = rl_vcard_parser_new (on_card, &import);
  gboolean ok;

  import.db = db;
  if (db)
    rl_contact_db_begin (db);
  else
    {
      g_warning ("%s: imported contacts are kept for this session only", db_error->message);
      import.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  ok = read_file (parser, cancellable, feed, &error);
  feed->skipped = rl_vcard_parser_get_n_skipped (parser);
  /* A file that is not a vCard adds nothing; one with broken entries keeps
   * the good ones. */
  /* A commit that fails (the disk filled up) saved none of it. */
  if (db && !rl_contact_db_end (db, ok) && ok)
    {
      feed->unsaved = feed->added;
      g_free (feed->save_error);
      feed->save_error = g_strdup (rl_contact_db_get_error (db));
    }
  if (ok)
    finish (feed);
  g_clear_pointer (&import.seen, g_hash_table_unref);
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_worker_done (RlContactStore *self)
{
  if (--self->busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Runs @func on @feed in a worker thread; rl_contact_store_is_busy() says so
 * until it ends. */
static void
run_worker (RlContactStore *self, GTask *task, Feed *feed, GTaskThreadFunc func)
{
  g_task_set_task_data (task, feed, (GDestroyNotify) feed_free);
  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_connect_swapped (task, "notify::completed", G_CALLBACK (on_worker_done), self);
  g_task_run_in_thread (task, func);
}

/* The end of background work nobody waits for: only a failure is news. */
static void
warn_on_failure (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("%s", error->message);
}

/**
 * rl_contact_store_import_async:
 *
 * Reads a vCard file into the source "vcard" and the database. Contacts
 * already imported (same UID, or the same name and numbers) are not added
 * again. ::import-progress follows it.
 */
void
rl_contact_store_import_async (RlContactStore *self, GFile *file, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_CONTACT_STORE (self));

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = g_file_get_path (file);
  Feed *feed = feed_new (self, RL_CONTACTS_IMPORTED, path ? path : g_file_peek_path (file));

  g_task_set_source_tag (task, rl_contact_store_import_async);
  feed->file = g_object_ref (file);
  run_worker (self, task, feed, import_thread);
}

/**
 * rl_contact_store_import_fd_async:
 * @fd: a file opened for reading, taken over (closed when done)
 *
 * As rl_contact_store_import_async(), for a file a sandboxed caller can
 * read and Ringline cannot open itself. Finish with
 * rl_contact_store_import_finish().
 */
void
rl_contact_store_import_fd_async (RlContactStore *self, int fd, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Feed *feed;

  g_return_if_fail (RL_IS_CONTACT_STORE (self));
  g_return_if_fail (fd >= 0);

  task = g_task_new (self, cancellable, callback, user_data);
  feed = feed_new (self, RL_CONTACTS_IMPORTED, "(file handed over)");
  g_task_set_source_tag (task, rl_contact_store_import_async);
  feed->fd = fd;
  run_worker (self, task, feed, import_thread);
}

/**
 * rl_contact_store_import_finish:
 * @n_added: (out) (optional): contacts added
 * @n_skipped: (out) (optional): broken entries skipped
 * @n_unsaved: (out) (optional): of those added, the ones the database did
 *   not take (they are searchable until Ringline quits); @save_error says why
 */
gboolean
rl_contact_store_import_finish (RlContactStore *self, GAsyncResult *result, guint *n_added,
                                guint *n_skipped, guint *n_unsaved, char **save_error,
                                GError **error)
{
  Feed *feed = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (n_added)
    *n_added = feed->added;
  if (n_skipped)
    *n_skipped = feed->skipped;
  if (n_unsaved)
    *n_unsaved = feed->unsaved;
  if (save_error)
    *save_error = g_strdup (feed->save_error);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- pushed contacts ------------------------------------------------------ */

/* Forgets @source in the index. */
static void
remove_segments (RlContactStore *self, const char *source)
{
  for (guint i = self->segments->len; i-- > 0;)
    if (g_str_equal (rl_contact_segment_get_source (g_ptr_array_index (self->segments, i)), source))
      g_ptr_array_remove_index (self->segments, i);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* In the main loop, once the push is checked: the source's old contacts go
 * (and its saved copy, unless this push is saved instead), and the caller
 * hears it worked once the database has the change. */
static gboolean
begin_push (gpointer data)
{
  GTask *task = data;
  Feed *feed = g_task_get_task_data (task);
  RlContactStore *self = feed->store;
  g_autoptr (GVariant) normal = g_steal_pointer (&feed->normal);

  if (feed->generation == generation_of (self, feed->source))
    {
      remove_segments (self, feed->source);
      queue_write (self, feed->source, feed->persist ? normal : NULL, feed->caller);
    }
  else
    g_task_return_boolean (feed->caller, TRUE); /* a newer push replaces it */
  /* The worker or the writer frees the contacts, not the main loop. */
  g_clear_pointer (&normal, g_variant_unref);
  return G_SOURCE_REMOVE;
}

static void
push_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Feed *feed = task_data;
  GTask *caller = feed->caller;
  /* A D-Bus message's body is checked on every access until it is in
   * normal form; one pass here makes the rest direct. */
  g_autoptr (GVariant) contacts = g_variant_get_normal_form (feed->contacts);
  g_autoptr (GError) error = NULL;
  gsize n = g_variant_n_children (contacts);

  /* A million contacts are a few hundred MB: the last reference goes in
   * this thread, not where the task ends. */
  g_clear_pointer (&feed->contacts, g_variant_unref);

  if (!rl_contact_check_list (contacts, &error))
    {
      g_task_return_error (caller, g_steal_pointer (&error));
      g_task_return_boolean (task, TRUE);
      return;
    }
  feed->normal = g_variant_ref (contacts);
  rl_idle_post (feed->context, G_PRIORITY_DEFAULT, begin_push, g_object_ref (task), g_object_unref);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) v = g_variant_get_child_value (contacts, i);
      g_autofree const char **phones = NULL;
      g_autofree const char **emails = NULL;
      const char *id = NULL, *name = NULL;
      RlContact *c;

      g_variant_lookup (v, "id", "&s", &id);
      g_variant_lookup (v, "name", "&s", &name);
      g_variant_lookup (v, "phones", "^a&s", &phones);
      g_variant_lookup (v, "emails", "^a&s", &emails);
      c = rl_contact_new (feed->source, id, name, phones, emails, feed->region);
      g_variant_lookup (v, "company", "s", &c->company);
      g_variant_lookup (v, "note", "s", &c->note);
      feed_add (feed, c);
    }
  finish (feed);
  g_task_return_boolean (task, TRUE);
}

/**
 * rl_contact_store_set_contacts_async:
 * @contacts: an aa{sv}: id (s), name (s), phones (as), and optionally
 *   emails (as), company (s), note (s)
 * @persist: whether they are also kept in the database, across restarts
 *
 * Replaces @source's contacts once their types are checked, in a worker
 * thread (InvalidArgument names the contact and the field, and nothing
 * changes). @callback runs when the check is done and the old contacts are
 * gone; the new ones are indexed after it (::import-progress, :busy). A
 * source pushed without @persist loses what an earlier push saved.
 */
void
rl_contact_store_set_contacts_async (RlContactStore *self, const char *source, GVariant *contacts,
                                     gboolean persist, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (RL_IS_CONTACT_STORE (self));

  g_autoptr (GTask) caller = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) task = NULL;
  Feed *feed;

  g_task_set_source_tag (caller, rl_contact_store_set_contacts_async);
  g_variant_ref_sink (contacts);
  if (source == NULL || *source == '\0' || g_str_equal (source, RL_CONTACTS_IMPORTED)
      || strlen (source) > RL_CONTACT_MAX_TEXT)
    g_task_return_new_error (caller, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                             "source: a name of your own, not empty and not \"%s\"",
                             RL_CONTACTS_IMPORTED);
  else if (!g_variant_is_of_type (contacts, G_VARIANT_TYPE ("aa{sv}")))
    g_task_return_new_error (caller, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "contacts: not aa{sv}");
  if (g_task_had_error (caller))
    {
      g_variant_unref (contacts);
      return;
    }
  /* A push of this source still being indexed is outdated from now on. */
  next_generation (self, source);
  feed = feed_new (self, source, source);
  task = g_task_new (self, NULL, NULL, NULL);
  feed->contacts = contacts;
  feed->caller = g_object_ref (caller);
  feed->persist = persist;
  run_worker (self, task, feed, push_thread);
}

gboolean
rl_contact_store_set_contacts_finish (RlContactStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Drops @source's contacts, saved ones included. */
void
rl_contact_store_clear (RlContactStore *self, const char *source)
{
  g_return_if_fail (RL_IS_CONTACT_STORE (self));

  queue_write (self, source, NULL, NULL);
  next_generation (self, source);
  remove_segments (self, source);
}

/* --- reading -------------------------------------------------------------- */

static gint
compare_hits (gconstpointer a, gconstpointer b)
{
  const RlContactHit *x = a, *y = b;

  if (x->score != y->score)
    return x->score < y->score ? -1 : 1;
  return strcmp (x->contact->folded, y->contact->folded);
}

static gboolean
has_letters (const char *folded)
{
  for (const char *p = folded; *p; p++)
    if (*p != ' ' && !g_ascii_isdigit (*p))
      return TRUE;
  return FALSE;
}

/**
 * rl_contact_store_search:
 *
 * Returns: (transfer container) (element-type RlContact): the best matches
 * first: by name (every word of @query starts a word of the name, accents
 * and case aside) or, for a query of digits, by any part of a number.
 */
GPtrArray *
rl_contact_store_search (RlContactStore *self, const char *query, guint limit)
{
  g_return_val_if_fail (RL_IS_CONTACT_STORE (self), NULL);

  g_autofree char *folded = rl_text_fold (query);
  g_autofree char *digits = rl_phone_number_digits (query);
  g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (RlContactHit));
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_auto (GStrv) words = g_strsplit (folded, " ", -1);
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_unref);
  gboolean by_name = has_letters (folded);

  if (limit == 0 || (by_name ? *folded == '\0' : *digits == '\0'))
    return results;
  for (guint i = 0; i < self->segments->len; i++)
    {
      RlContactSegment *segment = g_ptr_array_index (self->segments, i);

      if (by_name)
        rl_contact_segment_search_words (segment, words, CANDIDATES_PER_SEGMENT (limit), hits);
      else
        rl_contact_segment_search_digits (segment, digits, CANDIDATES_PER_SEGMENT (limit), hits);
    }
  g_array_sort (hits, compare_hits);
  for (guint i = 0; i < hits->len && results->len < limit; i++)
    {
      RlContact *c = g_array_index (hits, RlContactHit, i).contact;

      if (g_hash_table_add (seen, c))
        g_ptr_array_add (results, rl_contact_ref (c));
    }
  return results;
}

/**
 * rl_contact_store_lookup_number:
 *
 * Caller ID: the contact with @number, compared in E.164 so "+34 917 37 01
 * 92", "0034917370192" and (region ES) "917370192" are one number; a number
 * libphonenumber does not take (an extension) is compared by its digits.
 *
 * Returns: (transfer full) (nullable): the newest source's contact wins.
 */
RlContact *
rl_contact_store_lookup_number (RlContactStore *self, const char *number)
{
  g_return_val_if_fail (RL_IS_CONTACT_STORE (self), NULL);

  g_autofree char *e164 = NULL;
  g_autofree char *digits = NULL;

  /* Normalizing costs tens of microseconds on every call's start; with no
   * contacts there is nothing to find. */
  if (self->segments->len == 0)
    return NULL;
  e164 = rl_phone_number_to_e164 (number, self->region);
  digits = rl_phone_number_digits (number);
  for (guint i = self->segments->len; i-- > 0;)
    {
      RlContactSegment *segment = g_ptr_array_index (self->segments, i);
      RlContact *c = NULL;

      if (e164)
        c = rl_contact_segment_find_e164 (segment, e164);
      else if (*digits)
        {
          g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (RlContactHit));

          rl_contact_segment_search_digits (segment, digits, 1, hits);
          if (hits->len && g_array_index (hits, RlContactHit, 0).score == 0)
            c = g_array_index (hits, RlContactHit, 0).contact;
        }
      if (c)
        return rl_contact_ref (c);
    }
  return NULL;
}

/* Returns: (transfer floating): a{su}, source → number of contacts. */
GVariant *
rl_contact_store_build_counts (RlContactStore *self)
{
  g_return_val_if_fail (RL_IS_CONTACT_STORE (self), NULL);

  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantBuilder b;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < self->segments->len; i++)
    {
      RlContactSegment *segment = g_ptr_array_index (self->segments, i);
      const char *source = rl_contact_segment_get_source (segment);

      g_hash_table_insert (counts, (gpointer) source,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, source))
                                             + rl_contact_segment_get_n_contacts (segment)));
    }
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{su}"));
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (&b, "{su}", key, GPOINTER_TO_UINT (value));
  return g_variant_builder_end (&b);
}

guint
rl_contact_store_get_n_contacts (RlContactStore *self)
{
  guint n = 0;

  g_return_val_if_fail (RL_IS_CONTACT_STORE (self), 0);

  for (guint i = 0; i < self->segments->len; i++)
    n += rl_contact_segment_get_n_contacts (g_ptr_array_index (self->segments, i));
  return n;
}

guint
rl_contact_store_get_n_numbers (RlContactStore *self)
{
  guint n = 0;

  g_return_val_if_fail (RL_IS_CONTACT_STORE (self), 0);

  for (guint i = 0; i < self->segments->len; i++)
    n += rl_contact_segment_get_n_numbers (g_ptr_array_index (self->segments, i));
  return n;
}

gsize
rl_contact_store_get_index_size (RlContactStore *self)
{
  gsize n = 0;

  g_return_val_if_fail (RL_IS_CONTACT_STORE (self), 0);

  for (guint i = 0; i < self->segments->len; i++)
    n += rl_contact_segment_get_index_size (g_ptr_array_index (self->segments, i));
  return n;
}

/* Whether an import, a push or the load is still being indexed. */
gboolean
rl_contact_store_is_busy (RlContactStore *self)
{
  g_return_val_if_fail (RL_IS_CONTACT_STORE (self), FALSE);

  return self->busy > 0;
}

/* --- the object ------------------------------------------------------------ */

static void
rl_contact_store_finalize (GObject *object)
{
  RlContactStore *self = RL_CONTACT_STORE (object);

  /* What was asked to be saved is saved before the store goes. */
  g_thread_pool_free (self->writer, FALSE, TRUE);
  g_thread_pool_free (self->reaper, FALSE, TRUE);
  g_ptr_array_unref (self->segments);
  g_hash_table_unref (self->generations);
  g_free (self->db_path);
  g_free (self->region);
  G_OBJECT_CLASS (rl_contact_store_parent_class)->finalize (object);
}

static void
rl_contact_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlContactStore *self = RL_CONTACT_STORE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, rl_contact_store_is_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_contact_store_class_init (RlContactStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rl_contact_store_finalize;
  object_class->get_property = rl_contact_store_get_property;

  /* Whether an import, a push or the load is being indexed. */
  properties[PROP_BUSY]
    = g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * RlContactStore::import-progress:
   * @label: the file being imported, or the source being pushed
   * @added: contacts indexed so far
   * @skipped: broken entries skipped so far
   */
  signals[SIGNAL_IMPORT_PROGRESS]
    = g_signal_new ("import-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT);
}

/* Dropping a million contacts' segments takes longer than a frame. */
static void
reap (gpointer segments, gpointer user_data)
{
  g_ptr_array_unref (segments);
}

static void
rl_contact_store_init (RlContactStore *self)
{
  self->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_segment_unref);
  self->generations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->region = rl_phone_number_default_region (NULL);
  self->writer = g_thread_pool_new (write_source, NULL, 1, FALSE, NULL);
  self->reaper = g_thread_pool_new (reap, NULL, 1, FALSE, NULL);
}

/**
 * rl_contact_store_new:
 * @db_path: (nullable): the database of imported contacts; NULL for
 *   $XDG_DATA_HOME/ringline/contacts.db
 */
RlContactStore *
rl_contact_store_new (const char *db_path)
{
  RlContactStore *self = g_object_new (RL_TYPE_CONTACT_STORE, NULL);

  self->db_path = db_path
                    ? g_strdup (db_path)
                    : g_build_filename (g_get_user_data_dir (), "ringline", "contacts.db", NULL);
  return self;
}

/* For numbers written without a country code; NULL or "" uses the locale's. */
void
rl_contact_store_set_region (RlContactStore *self, const char *region)
{
  g_return_if_fail (RL_IS_CONTACT_STORE (self));

  g_free (self->region);
  self->region
    = region && *region ? g_ascii_strup (region, -1) : rl_phone_number_default_region (NULL);
}

/* Loads the contacts kept in the database (imported, and pushed with
 * persist), in the background. */
void
rl_contact_store_load (RlContactStore *self)
{
  g_return_if_fail (RL_IS_CONTACT_STORE (self));

  g_autoptr (GTask) task = g_task_new (self, NULL, warn_on_failure, NULL);
  Feed *feed = feed_new (self, RL_CONTACTS_IMPORTED, RL_CONTACTS_IMPORTED);

  feed->generation = 0;
  run_worker (self, task, feed, load_thread);
}
