/* rl-vcard.h: one contact as read from a vCard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *uid;     /* UID, or NULL */
  char *name;    /* FN, else built from N, else ORG: never NULL in a parsed card */
  char *company; /* ORG's first part, or NULL */
  char *note;
  GPtrArray *phones;      /* char *, as written */
  GPtrArray *phone_types; /* char *, lower case, comma-joined ("cell,work"), "" if none */
  GPtrArray *emails;      /* char * */
  guint line;             /* where its BEGIN:VCARD is, from 1 */
} RlVcard;

RlVcard *rl_vcard_new (guint line);
void rl_vcard_free (RlVcard *card);
void rl_vcard_take_phone (RlVcard *card, char *number, const char *types);
void rl_vcard_take_email (RlVcard *card, char *email);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlVcard, rl_vcard_free)

G_END_DECLS
