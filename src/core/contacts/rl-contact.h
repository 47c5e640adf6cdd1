/* rl-contact.h: one contact, from any source. Immutable once indexed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A pushed contact's strings, and entries of its lists (docs/dbus-api.md). */
#define RL_CONTACT_MAX_TEXT 4096
#define RL_CONTACT_MAX_VALUES 64

typedef struct
{
  char *source;
  char *id;
  char *name;
  char *company; /* or NULL */
  char *note;    /* or NULL */
  GStrv phones;  /* as written */
  GStrv e164;    /* parallel to phones: E.164, or "" when not a phone number */
  GStrv digits;  /* parallel to phones: the digits only */
  GStrv emails;
  char *folded; /* the name for searching: lower case, no accents, one space between words */
} RlContact;

#define RL_TYPE_CONTACT (rl_contact_get_type ())
GType rl_contact_get_type (void);

RlContact *rl_contact_new (const char *source, const char *id, const char *name,
                           const char *const *phones, const char *const *emails,
                           const char *region);
RlContact *rl_contact_ref (RlContact *contact);
void rl_contact_unref (RlContact *contact);
GVariant *rl_contact_to_variant (RlContact *contact);
gboolean rl_contact_check_list (GVariant *contacts, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlContact, rl_contact_unref)

G_END_DECLS
