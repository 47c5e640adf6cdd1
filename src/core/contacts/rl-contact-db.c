/* rl-contact-db.c
 *
 * One row per contact, keyed by source and id; a contact's numbers and
 * e-mails are one column each, joined by a separator no vCard or D-Bus
 * string carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlContactDb"

#include "rl-contact-db.h"
#include "rl-error.h"

#include <errno.h>
#include <sqlite3.h>

#define SEPARATOR "\x1f"
#define INSERT_ROW                                                                                 \
  "INSERT OR IGNORE INTO contacts (source, id, name, phones, emails, company, note)"               \
  " VALUES (?, ?, ?, ?, ?, ?, ?)"

struct _RlContactDb
{
  sqlite3 *db;
  sqlite3_stmt *insert;
  char *last_error; /* a failure's, kept past the rollback that followed it */
};

RlContactDb *
rl_contact_db_open (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  sqlite3 *db = NULL;
  RlContactDb *self;
  const char *schema = "PRAGMA journal_mode=WAL;"
                       "PRAGMA synchronous=NORMAL;"
                       "CREATE TABLE IF NOT EXISTS contacts ("
                       " source TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,"
                       " phones TEXT NOT NULL, emails TEXT NOT NULL, company TEXT, note TEXT,"
                       " PRIMARY KEY (source, id));"
                       "PRAGMA user_version=1;";

  g_return_val_if_fail (path != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0
      || sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK
      || sqlite3_busy_timeout (db, 10000) != SQLITE_OK
      || sqlite3_exec (db, schema, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_FAILED, "Cannot open the contacts database %s: %s",
                   path, db ? sqlite3_errmsg (db) : g_strerror (errno));
      sqlite3_close (db);
      return NULL;
    }
  self = g_new0 (RlContactDb, 1);
  self->db = db;
  sqlite3_prepare_v2 (db, INSERT_ROW, -1, &self->insert, NULL);
  return self;
}

void
rl_contact_db_close (RlContactDb *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->insert);
  sqlite3_close (self->db);
  g_free (self->last_error);
  g_free (self);
}

const char *
rl_contact_db_get_error (RlContactDb *self)
{
  return self->last_error ? self->last_error : sqlite3_errmsg (self->db);
}

void
rl_contact_db_begin (RlContactDb *self)
{
  sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL);
}

/* Ends the transaction: @commit keeps what it wrote, else it is undone. */
gboolean
rl_contact_db_end (RlContactDb *self, gboolean commit)
{
  return sqlite3_exec (self->db, commit ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK;
}

static RlContactDbInsert
insert_row (RlContactDb *self, const char *source, const char *id, const char *name,
            const char *const *phones, const char *const *emails, const char *company,
            const char *note)
{
  g_autofree char *joined_phones = g_strjoinv (SEPARATOR, (GStrv) phones);
  g_autofree char *joined_emails = g_strjoinv (SEPARATOR, (GStrv) emails);
  sqlite3_stmt *insert = self->insert;

  sqlite3_reset (insert);
  sqlite3_bind_text (insert, 1, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, joined_phones, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, joined_emails, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, company, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, note, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return RL_CONTACT_DB_FAILED;
  return sqlite3_changes (self->db) > 0 ? RL_CONTACT_DB_INSERTED : RL_CONTACT_DB_DUPLICATE;
}

RlContactDbInsert
rl_contact_db_insert (RlContactDb *self, RlContact *c)
{
  return insert_row (self, c->source, c->id, c->name, (const char *const *) c->phones,
                     (const char *const *) c->emails, c->company, c->note);
}

static RlContactDbInsert
insert_pushed (RlContactDb *self, const char *source, GVariant *contact)
{
  static const char *const none[] = { NULL };
  g_autofree const char **phones = NULL;
  g_autofree const char **emails = NULL;
  const char *id = NULL, *name = NULL, *company = NULL, *note = NULL;

  g_variant_lookup (contact, "id", "&s", &id);
  g_variant_lookup (contact, "name", "&s", &name);
  g_variant_lookup (contact, "phones", "^a&s", &phones);
  g_variant_lookup (contact, "emails", "^a&s", &emails);
  g_variant_lookup (contact, "company", "&s", &company);
  g_variant_lookup (contact, "note", "&s", &note);
  return insert_row (self, source, id, name, phones ? phones : none, emails ? emails : none,
                     company, note);
}

/**
 * rl_contact_db_replace_source:
 * @contacts: (nullable): an aa{sv} already checked; %NULL removes the
 *   source's rows
 *
 * Replaces @source's rows, in one transaction: all of them or, on a
 * failure, none (rl_contact_db_get_error() says why).
 */
gboolean
rl_contact_db_replace_source (RlContactDb *self, const char *source, GVariant *contacts)
{
  sqlite3_stmt *remove = NULL;
  gsize n = contacts ? g_variant_n_children (contacts) : 0;
  gboolean ok;

  rl_contact_db_begin (self);
  sqlite3_prepare_v2 (self->db, "DELETE FROM contacts WHERE source = ?", -1, &remove, NULL);
  sqlite3_bind_text (remove, 1, source, -1, SQLITE_STATIC);
  ok = sqlite3_step (remove) == SQLITE_DONE;
  sqlite3_finalize (remove);
  for (gsize i = 0; ok && i < n; i++)
    {
      g_autoptr (GVariant) contact = g_variant_get_child_value (contacts, i);

      ok = insert_pushed (self, source, contact) != RL_CONTACT_DB_FAILED;
    }
  if (!ok)
    {
      g_autofree char *why = g_strdup (sqlite3_errmsg (self->db));

      rl_contact_db_end (self, FALSE);
      g_free (self->last_error);
      self->last_error = g_steal_pointer (&why);
      return FALSE;
    }
  return rl_contact_db_end (self, TRUE);
}

static GStrv
split (const char *joined)
{
  return joined && *joined ? g_strsplit (joined, SEPARATOR, -1) : g_new0 (char *, 1);
}

/* Every saved contact, one source after the other, to @func (which owns it). */
void
rl_contact_db_load (RlContactDb *self, const char *region, RlContactDbFunc func, gpointer user_data)
{
  sqlite3_stmt *select = NULL;

  sqlite3_prepare_v2 (self->db,
                      "SELECT source, id, name, phones, emails, company, note FROM contacts"
                      " ORDER BY source",
                      -1, &select, NULL);
  while (sqlite3_step (select) == SQLITE_ROW)
    {
      g_auto (GStrv) phones = split ((const char *) sqlite3_column_text (select, 3));
      g_auto (GStrv) emails = split ((const char *) sqlite3_column_text (select, 4));
      RlContact *c
        = rl_contact_new ((const char *) sqlite3_column_text (select, 0),
                          (const char *) sqlite3_column_text (select, 1),
                          (const char *) sqlite3_column_text (select, 2),
                          (const char *const *) phones, (const char *const *) emails, region);

      c->company = g_strdup ((const char *) sqlite3_column_text (select, 5));
      c->note = g_strdup ((const char *) sqlite3_column_text (select, 6));
      func (c, user_data);
    }
  sqlite3_finalize (select);
}
