/* test-contacts.c: numbers, folding, the contact store with its worker
 * threads, a real SQLite file, search and caller ID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-contact-segment.h"
#include "rl-core.h"
#include "rl-contact-store.h"
#include "rl-error.h"
#include "rl-phone-number.h"
#include "rl-text.h"
#include "rl-test-lab.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_e164 (void)
{
  const char *same[] = { "+34 917 37 01 92", "0034917370192", "917370192", "+34 (91) 737-0192" };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *e164 = rl_phone_number_to_e164 (same[i], "ES");

      g_assert_cmpstr (e164, ==, "+34917370192");
    }
  for (const char *const *bad = (const char *const[]){ "", "1001", "hello", "++--", NULL }; *bad;
       bad++)
    {
      g_autofree char *e164 = rl_phone_number_to_e164 (*bad, "ES");

      g_assert_null (e164);
    }
  {
    g_autofree char *digits = rl_phone_number_digits ("+34 (91) 737-0192");

    g_assert_cmpstr (digits, ==, "34917370192");
  }
}

static void
test_fold (void)
{
  const char *cases[][2] = {
    { "José  GARCÍA-López", "jose garcia lopez" },
    { "Zhang Wei", "zhang wei" },
    { "张伟", "张 伟" },
    { "Müller, Jürgen (Sales)", "muller jurgen sales" },
    { "  ", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = rl_text_fold (cases[i][0]);

      g_assert_cmpstr (folded, ==, cases[i][1]);
    }
}

static gboolean
idle_store (gpointer store)
{
  return !rl_contact_store_is_busy (store);
}

static void
wait_idle (RlContactStore *store)
{
  g_assert_true (rl_test_wait (idle_store, store, 30));
}

/* The end of a push or an import, once the main loop has seen it. */
typedef struct
{
  gboolean ok;
  guint added;
  guint skipped;
  guint unsaved;
  char *save_error;
  GError *error;
} Result;

/* A push, until it is checked (indexing goes on: wait_idle). */
static gboolean
push (RlContactStore *store, const char *source, GVariant *contacts, gboolean persist,
      GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  rl_contact_store_set_contacts_async (store, source, contacts, persist, NULL, rl_test_keep_result,
                                       &result);
  return rl_contact_store_set_contacts_finish (store, rl_test_wait_result (&result, 30), error);
}

static GVariant *
crm_contacts (void)
{
  return g_variant_new_parsed (
    "[{'id': <'1'>, 'name': <'José García'>, 'phones': <['+34 917 37 01 92']>,"
    "  'emails': <['jose@example.es']>, 'company': <'Acme'>},"
    " {'id': <'2'>, 'name': <'Zhang Wei'>, 'phones': <['+86 10 1234 5678', '+1 555 0100']>},"
    " {'id': <'3'>, 'name': <'张伟'>, 'phones': <['+86 10 8765 4321']>},"
    " {'id': <'4'>, 'name': <'Josefina Marín'>, 'phones': <['917370100']>},"
    " {'id': <'5'>, 'name': <'Reception'>, 'phones': <['1001']>}]");
}

static char *
db_path (const char *dir)
{
  return g_build_filename (dir, "contacts.db", NULL);
}

/* @dir and the database in it. */
static void
remove_dir (const char *dir)
{
  g_autofree char *db = db_path (dir);

  for (const char *const *suffix = (const char *const[]){ "", "-wal", "-shm", NULL }; *suffix;
       suffix++)
    {
      g_autofree char *f = g_strconcat (db, *suffix, NULL);

      g_unlink (f);
    }
  g_rmdir (dir);
}

static RlContactStore *
new_store (const char *dir)
{
  g_autofree char *path = db_path (dir);
  RlContactStore *store = rl_contact_store_new (path);

  rl_contact_store_set_region (store, "ES");
  return store;
}

static const char *
name_at (GPtrArray *results, guint i)
{
  return ((RlContact *) g_ptr_array_index (results, i))->name;
}

static void
assert_first (RlContactStore *store, const char *query, const char *name)
{
  g_autoptr (GPtrArray) results = rl_contact_store_search (store, query, 10);

  if (results->len == 0)
    g_error ("'%s' found nothing", query);
  g_assert_cmpstr (name_at (results, 0), ==, name);
}

static void
test_push_and_search (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-contacts-XXXXXX", NULL);
  g_autoptr (RlContactStore) store = new_store (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) results = NULL;
  g_autoptr (GVariant) counts = NULL;
  guint count = 0;

  g_assert_true (push (store, "crm", crm_contacts (), FALSE, &error));
  g_assert_no_error (error);
  wait_idle (store);
  counts = g_variant_ref_sink (rl_contact_store_build_counts (store));
  g_assert_true (g_variant_lookup (counts, "crm", "u", &count));
  g_assert_cmpuint (count, ==, 5);

  /* Names: any word's prefix, accents and case aside, every word counts. */
  assert_first (store, "jose", "José García");
  assert_first (store, "GARC", "José García");
  assert_first (store, "marin jos", "Josefina Marín");
  assert_first (store, "zhang", "Zhang Wei");
  assert_first (store, "伟", "张伟");
  assert_first (store, "张伟", "张伟");
  results = rl_contact_store_search (store, "jos", 10);
  g_assert_cmpuint (results->len, ==, 2);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = rl_contact_store_search (store, "jos", 1);
  g_assert_cmpuint (results->len, ==, 1);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = rl_contact_store_search (store, "nobody", 10);
  g_assert_cmpuint (results->len, ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Numbers: any run of digits, formatting aside; a whole number first. */
  assert_first (store, "737-0192", "José García");
  assert_first (store, "1001", "Reception");
  assert_first (store, "917370100", "Josefina Marín");
  results = rl_contact_store_search (store, "91737", 10);
  g_assert_cmpuint (results->len, ==, 2);
  g_clear_pointer (&results, g_ptr_array_unref);

  rl_contact_store_clear (store, "crm");
  results = rl_contact_store_search (store, "jose", 10);
  g_assert_cmpuint (results->len, ==, 0);
  g_rmdir (dir);
}

static void
test_caller_id (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-contacts-XXXXXX", NULL);
  g_autoptr (RlContactStore) store = new_store (dir);

  g_assert_true (push (store, "crm", crm_contacts (), FALSE, NULL));
  wait_idle (store);
  for (const char *const *n
       = (const char *const[]){ "+34 917 37 01 92", "0034917370192", "917370192", NULL };
       *n; n++)
    {
      g_autoptr (RlContact) c = rl_contact_store_lookup_number (store, *n);

      g_assert_nonnull (c);
      g_assert_cmpstr (c->name, ==, "José García");
      g_assert_cmpstr (c->id, ==, "1");
    }
  {
    g_autoptr (RlContact) ext = rl_contact_store_lookup_number (store, "1001");
    g_autoptr (RlContact) none = rl_contact_store_lookup_number (store, "+44 20 7946 0000");

    g_assert_nonnull (ext);
    g_assert_cmpstr (ext->name, ==, "Reception");
    g_assert_null (none);
  }
  g_rmdir (dir);
}

static void
test_bad_push (void)
{
  g_autoptr (RlContactStore) store = rl_contact_store_new ("/nonexistent/contacts.db");
  g_autoptr (GError) error = NULL;

  g_assert_false (
    push (store, "crm",
          g_variant_new_parsed ("[{'id': <'1'>, 'name': <'A'>}, {'id': <'2'>, 'name': <'B'>,"
                                " 'phones': <'555'>}]"),
          FALSE, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "contacts[1].phones"));
  g_clear_error (&error);
  g_assert_false (
    push (store, "crm", g_variant_new_parsed ("[{'name': <'No id'>}]"), FALSE, &error));
  g_assert_nonnull (strstr (error->message, "contacts[0].id"));
  g_clear_error (&error);
  g_assert_false (
    push (store, RL_CONTACTS_IMPORTED, g_variant_new_parsed ("@aa{sv} []"), FALSE, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (rl_contact_store_get_n_contacts (store), ==, 0);
}

static Result
import (RlContactStore *store, const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GAsyncResult) result = NULL;
  Result r = { 0 };

  rl_contact_store_import_async (store, file, NULL, rl_test_keep_result, &result);
  r.ok = rl_contact_store_import_finish (store, rl_test_wait_result (&result, 30), &r.added,
                                         &r.skipped, &r.unsaved, &r.save_error, &r.error);
  return r;
}

/* Imported contacts go to SQLite: a second import of the same file adds
 * nothing, and a new store (a restart) finds them. */
/* A FIFO would hold a worker thread until someone writes to it, and a
 * sparse file claims gigabytes: both are refused at once, with nothing
 * added. */
static void
test_import_refuses (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-contacts-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.vcf", NULL);
  g_autofree char *big = g_build_filename (dir, "big.vcf", NULL);
  g_autoptr (RlContactStore) store = new_store (dir);
  static const char *const expected[]
    = { "not a regular file", "larger than 1024 MiB", "not a regular file" };
  const char *paths[] = { fifo, big, dir };
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  fd = open (big, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (ftruncate (fd, RL_CONTACTS_MAX_IMPORT_BYTES + 1), ==, 0);
  close (fd);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      Result r = import (store, paths[i]);

      g_assert_false (r.ok);
      g_assert_error (r.error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (r.error->message, expected[i]));
      g_clear_error (&r.error);
    }
  g_assert_cmpuint (rl_contact_store_get_n_contacts (store), ==, 0);
  g_unlink (fifo);
  g_unlink (big);
  remove_dir (dir);
}

static void
test_import_persists (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-contacts-XXXXXX", NULL);
  g_autofree char *vcf = g_build_filename (dir, "people.vcf", NULL);
  g_autofree char *text_file = g_build_filename (dir, "letter.vcf", NULL);
  g_autoptr (GString) letter = g_string_new (NULL);
  Result r;

  g_assert_true (
    g_file_set_contents (vcf,
                         "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Pérez\nTEL:917370192\nEND:VCARD\n"
                         "BEGIN:VCARD\nVERSION:3.0\nFN:Broken\nno colon here\nEND:VCARD\n"
                         "BEGIN:VCARD\nVERSION:3.0\nUID:u-2\nFN:Luis\nTEL:+1 555 0100\nEND:VCARD\n",
                         -1, NULL));
  for (guint i = 0; i < 80; i++)
    g_string_append (letter, "Just a letter.\n");
  g_assert_true (g_file_set_contents (text_file, letter->str, -1, NULL));
  {
    g_autoptr (RlContactStore) store = new_store (dir);

    r = import (store, vcf);
    g_assert_true (r.ok);
    g_assert_cmpuint (r.added, ==, 2);
    g_assert_cmpuint (r.skipped, ==, 1);
    assert_first (store, "ana", "Ana Pérez");
    r = import (store, vcf);
    g_assert_true (r.ok);
    g_assert_cmpuint (r.added, ==, 0);
    g_assert_cmpuint (rl_contact_store_get_n_contacts (store), ==, 2);
    r = import (store, text_file);
    g_assert_false (r.ok);
    g_assert_error (r.error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
    g_clear_error (&r.error);
    g_assert_cmpuint (rl_contact_store_get_n_contacts (store), ==, 2);
  }
  {
    g_autoptr (RlContactStore) again = new_store (dir);
    g_autoptr (RlContact) luis = NULL;

    rl_contact_store_load (again);
    wait_idle (again);
    g_assert_cmpuint (rl_contact_store_get_n_contacts (again), ==, 2);
    luis = rl_contact_store_lookup_number (again, "+15550100");
    g_assert_nonnull (luis);
    g_assert_cmpstr (luis->id, ==, "u-2");
  }
  g_unlink (vcf);
  g_unlink (text_file);
  remove_dir (dir);
}

/* A new store on the same database, as after a restart, once it has loaded. */
static RlContactStore *
restart (const char *dir)
{
  RlContactStore *store = new_store (dir);

  rl_contact_store_load (store);
  wait_idle (store);
  return store;
}

/* Pushed contacts stay in memory unless saved; a saved source is there after
 * a restart until a plain push or a clear of that source. */
static void
test_saved_push_persists (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-contacts-XXXXXX", NULL);
  g_autoptr (GPtrArray) memo = NULL;

  {
    g_autoptr (RlContactStore) store = new_store (dir);

    g_assert_true (push (store, "crm", crm_contacts (), TRUE, NULL));
    g_assert_true (push (
      store, "chat",
      g_variant_new_parsed ("[{'id': <'9'>, 'name': <'Memo Only'>, 'phones': <['600111222']>}]"),
      FALSE, NULL));
    wait_idle (store);
    g_assert_cmpuint (rl_contact_store_get_n_contacts (store), ==, 6);
  } /* the store's last reference waits for its writes */
  {
    g_autoptr (RlContactStore) store = restart (dir);

    g_assert_cmpuint (rl_contact_store_get_n_contacts (store), ==, 5);
    assert_first (store, "zhang", "Zhang Wei");
    memo = rl_contact_store_search (store, "memo", 10);
    g_assert_cmpuint (memo->len, ==, 0);
    g_assert_true (push (
      store, "crm", g_variant_new_parsed ("[{'id': <'1'>, 'name': <'Only Now'>}]"), FALSE, NULL));
    wait_idle (store);
  }
  {
    g_autoptr (RlContactStore) store = restart (dir);

    g_assert_cmpuint (rl_contact_store_get_n_contacts (store), ==, 0);
    g_assert_true (push (store, "crm", crm_contacts (), TRUE, NULL));
    wait_idle (store);
    rl_contact_store_clear (store, "crm");
  }
  {
    g_autoptr (RlContactStore) store = restart (dir);

    g_assert_cmpuint (rl_contact_store_get_n_contacts (store), ==, 0);
  }
  remove_dir (dir);
}

/* The database refuses one name, as a full disk or a broken file would
 * refuse a write. */
static void
refuse_in_db (const char *dir, const char *name)
{
  g_autofree char *path = db_path (dir);
  g_autofree char *sql
    = g_strdup_printf ("CREATE TRIGGER refuse BEFORE INSERT ON contacts WHEN NEW.name = '%s'"
                       " BEGIN SELECT RAISE(ABORT, 'the disk refused it'); END;",
                       name);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* SaveContacts answers once the contacts are on disk: a new store finds
 * them the moment it answers, and a write the database refuses is an
 * error, not a warning in a log. An import counts the rows it could not
 * save apart from the duplicates. */
static void
test_writes_are_durable (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ringline-contacts-XXXXXX", NULL);
  g_autofree char *vcf = g_build_filename (dir, "people.vcf", NULL);
  g_autoptr (RlContactStore) store = new_store (dir);
  g_autoptr (GError) error = NULL;
  GLogLevelFlags fatal;
  Result r;

  g_assert_true (push (store, "crm", crm_contacts (), TRUE, NULL));
  {
    g_autoptr (RlContactStore) other = restart (dir);

    g_assert_cmpuint (rl_contact_store_get_n_contacts (other), ==, 5);
  }
  refuse_in_db (dir, "Zhang Wei");
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_false (push (store, "crm", crm_contacts (), TRUE, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "the disk refused it"));

  g_assert_true (g_file_set_contents (vcf,
                                      "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL:600111222\nEND:VCARD\n"
                                      "BEGIN:VCARD\nVERSION:3.0\nFN:Zhang Wei\nTEL:600111333\nEND:"
                                      "VCARD\n",
                                      -1, NULL));
  r = import (store, vcf);
  g_assert_true (r.ok);
  g_assert_cmpuint (r.added, ==, 2);
  g_assert_cmpuint (r.unsaved, ==, 1);
  g_assert_nonnull (strstr (r.save_error, "the disk refused it"));
  g_free (r.save_error);
  r = import (store, vcf);
  g_log_set_always_fatal (fatal);
  /* Ana is there already; Zhang Wei is refused again, not a duplicate. */
  g_assert_cmpuint (r.added, ==, 1);
  g_assert_cmpuint (r.unsaved, ==, 1);
  g_free (r.save_error);
  g_clear_object (&store);
  g_unlink (vcf);
  remove_dir (dir);
}

static RlContact *
numbered_contact (guint i)
{
  static const char *const first[] = { "Ana", "Bruno", "Carla", "Dmitri", "Eve", "张伟" };
  static const char *const last[] = { "García", "Smith", "Müller", "Ivanova", "Ng" };
  g_autofree char *id = g_strdup_printf ("%u", i);
  g_autofree char *name
    = g_strdup_printf ("%s %s %u", first[i % G_N_ELEMENTS (first)], last[(i / 7) % 5], i);
  g_autofree char *mobile = g_strdup_printf ("+34 6%08u", (i * 7919) % 100000000);
  g_autofree char *office = g_strdup_printf ("91 %07u", (i * 104729) % 10000000);

  return rl_contact_new ("merge", id, name, (const char *const[]){ mobile, office, NULL }, NULL,
                         "ES");
}

static GHashTable *
hit_ids (RlContactSegment *segment, const char *words, const char *digits)
{
  g_autoptr (GArray) hits = g_array_new (FALSE, FALSE, sizeof (RlContactHit));
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto (GStrv) split = words ? g_strsplit (words, " ", -1) : NULL;

  if (words)
    rl_contact_segment_search_words (segment, split, 10000, hits);
  else
    rl_contact_segment_search_digits (segment, digits, 10000, hits);
  for (guint i = 0; i < hits->len; i++)
    g_hash_table_add (ids, g_array_index (hits, RlContactHit, i).contact->id);
  return ids;
}

/* Segments merged into one find exactly what one segment built from all
 * their contacts finds, by name, by digits and by E.164. */
static void
test_segment_merge (void)
{
  static const char *const names[] = { "ana", "garcia", "carla mu", "张", "eve ng 1", "zzz" };
  static const char *const digits[] = { "6000", "91", "7919", "34600015838", "0" };
  g_autoptr (GPtrArray) parts
    = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_segment_unref);
  g_autoptr (GPtrArray) everyone
    = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_unref);
  g_autoptr (RlContactSegment) merged = NULL;
  g_autoptr (RlContactSegment) whole = NULL;
  guint i = 0;

  for (guint size = 1; size < 1100; size = size * 3 + 1) /* uneven runs, odd in number */
    {
      GPtrArray *part = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_contact_unref);

      for (guint j = 0; j < size; j++, i++)
        {
          g_ptr_array_add (part, numbered_contact (i));
          g_ptr_array_add (everyone, numbered_contact (i));
        }
      g_ptr_array_add (parts, rl_contact_segment_new ("merge", part));
    }
  merged = rl_contact_segment_merge ("merge", parts);
  whole = rl_contact_segment_new ("merge", g_steal_pointer (&everyone));
  g_assert_cmpuint (rl_contact_segment_get_n_contacts (merged), ==, i);
  g_assert_cmpuint (rl_contact_segment_get_index_size (merged), ==,
                    rl_contact_segment_get_index_size (whole));
  for (guint q = 0; q < G_N_ELEMENTS (names) + G_N_ELEMENTS (digits); q++)
    {
      gboolean by_name = q < G_N_ELEMENTS (names);
      const char *query = by_name ? names[q] : digits[q - G_N_ELEMENTS (names)];
      g_autoptr (GHashTable) a = hit_ids (merged, by_name ? query : NULL, query);
      g_autoptr (GHashTable) b = hit_ids (whole, by_name ? query : NULL, query);
      GHashTableIter iter;
      gpointer id;

      g_test_message ("query %s: %u hits", query, g_hash_table_size (a));
      g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
      g_hash_table_iter_init (&iter, a);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_assert_true (g_hash_table_contains (b, id));
    }
  for (guint c = 0; c < i; c += 97)
    {
      g_autoptr (RlContact) contact = numbered_contact (c);
      RlContact *found = rl_contact_segment_find_e164 (merged, contact->e164[0]);

      g_assert_nonnull (found);
      g_assert_cmpstr (found->e164[0], ==, contact->e164[0]);
    }
}

/* With no contacts-region setting and a locale without a telephone region
 * (the tests' C locale), the account's country decides where a number
 * written without its country code is: a Hong Kong account finds the
 * contact from the eight local digits. */
static void
test_region_from_account (void)
{
  g_autoptr (RlCore) core = rl_core_new ();
  RlContactStore *store = rl_core_get_contacts (core);
  g_autoptr (GVariant) settings = g_variant_ref_sink (g_variant_new_parsed (
    "{'servers': <['127.0.0.1']>, 'username': <'1001'>, 'country_code': <'852'>}"));
  g_autoptr (RlAccount) account = rl_account_new_from_variant (settings, NULL);
  g_autoptr (RlContact) before = NULL;
  g_autoptr (RlContact) after = NULL;

  g_assert_true (push (store, "crm",
                       g_variant_new_parsed ("[{'id': <'1'>, 'name': <'Wing Chan'>,"
                                             " 'phones': <['+852 2123 4567']>}]"),
                       FALSE, NULL));
  wait_idle (store);
  before = rl_contact_store_lookup_number (store, "2123 4567");
  g_assert_null (before);
  rl_phone_set_account (rl_core_get_phone (core), account);
  after = rl_contact_store_lookup_number (store, "2123 4567");
  g_assert_nonnull (after);
  g_assert_cmpstr (after->name, ==, "Wing Chan");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The core's own contacts database, in a folder of the test's. */
  rl_test_setup_env ();
  g_test_add_func ("/contacts/e164", test_e164);
  g_test_add_func ("/contacts/fold", test_fold);
  g_test_add_func ("/contacts/push-and-search", test_push_and_search);
  g_test_add_func ("/contacts/segment-merge", test_segment_merge);
  g_test_add_func ("/contacts/caller-id", test_caller_id);
  g_test_add_func ("/contacts/region-from-account", test_region_from_account);
  g_test_add_func ("/contacts/bad-push", test_bad_push);
  g_test_add_func ("/contacts/import-persists", test_import_persists);
  g_test_add_func ("/contacts/import-refuses", test_import_refuses);
  g_test_add_func ("/contacts/saved-push-persists", test_saved_push_persists);
  g_test_add_func ("/contacts/writes-are-durable", test_writes_are_durable);
  return g_test_run ();
}
