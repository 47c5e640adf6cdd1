/* rl-contact-db.h: the saved contacts, in SQLite. Blocking: for worker
 * threads only, one connection per thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-contact.h"

G_BEGIN_DECLS

typedef struct _RlContactDb RlContactDb;

typedef void (*RlContactDbFunc) (RlContact *contact, gpointer user_data);

RlContactDb *rl_contact_db_open (const char *path, GError **error);
void rl_contact_db_close (RlContactDb *db);
const char *rl_contact_db_get_error (RlContactDb *db);
void rl_contact_db_begin (RlContactDb *db);
gboolean rl_contact_db_end (RlContactDb *db, gboolean commit);
typedef enum
{
  RL_CONTACT_DB_INSERTED,
  RL_CONTACT_DB_DUPLICATE, /* there already: an import of the same file */
  RL_CONTACT_DB_FAILED,    /* not written: rl_contact_db_get_error() says why */
} RlContactDbInsert;

RlContactDbInsert rl_contact_db_insert (RlContactDb *db, RlContact *contact);
gboolean rl_contact_db_replace_source (RlContactDb *db, const char *source, GVariant *contacts);
void rl_contact_db_load (RlContactDb *db, const char *region, RlContactDbFunc func,
                         gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlContactDb, rl_contact_db_close)

G_END_DECLS
