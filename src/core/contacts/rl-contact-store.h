/* rl-contact-store.h: every contact source, searchable, with caller ID.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-contact.h"

G_BEGIN_DECLS

#define RL_CONTACTS_IMPORTED "vcard" /* the source of imported vCard files */
/* A million contacts take about 200 MiB of vCard. */
#define RL_CONTACTS_MAX_IMPORT_BYTES ((gint64) 1024 * 1024 * 1024)

#define RL_TYPE_CONTACT_STORE (rl_contact_store_get_type ())
G_DECLARE_FINAL_TYPE (RlContactStore, rl_contact_store, RL, CONTACT_STORE, GObject)

RlContactStore *rl_contact_store_new (const char *db_path);
void rl_contact_store_set_region (RlContactStore *self, const char *region);
void rl_contact_store_load (RlContactStore *self);
void rl_contact_store_set_contacts_async (RlContactStore *self, const char *source,
                                          GVariant *contacts, gboolean persist,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean rl_contact_store_set_contacts_finish (RlContactStore *self, GAsyncResult *result,
                                               GError **error);
void rl_contact_store_clear (RlContactStore *self, const char *source);
void rl_contact_store_import_async (RlContactStore *self, GFile *file, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
void rl_contact_store_import_fd_async (RlContactStore *self, int fd, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean rl_contact_store_import_finish (RlContactStore *self, GAsyncResult *result, guint *n_added,
                                         guint *n_skipped, guint *n_unsaved, char **save_error,
                                         GError **error);
GPtrArray *rl_contact_store_search (RlContactStore *self, const char *query, guint limit);
RlContact *rl_contact_store_lookup_number (RlContactStore *self, const char *number);
GVariant *rl_contact_store_build_counts (RlContactStore *self);
guint rl_contact_store_get_n_contacts (RlContactStore *self);
gsize rl_contact_store_get_index_size (RlContactStore *self);
guint rl_contact_store_get_n_numbers (RlContactStore *self);
gboolean rl_contact_store_is_busy (RlContactStore *self);

G_END_DECLS
