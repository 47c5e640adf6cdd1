/* rl-vcard-parser.h: vCard 2.1, 3.0 and 4.0, read in pieces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-vcard.h"

G_BEGIN_DECLS

/* Called once per card read; takes the card. */
typedef void (*RlVcardFunc) (RlVcard *card, gpointer user_data);

typedef struct _RlVcardParser RlVcardParser;

RlVcardParser *rl_vcard_parser_new (RlVcardFunc func, gpointer user_data);
void rl_vcard_parser_free (RlVcardParser *self);
gboolean rl_vcard_parser_feed (RlVcardParser *self, const char *data, gsize len, GError **error);
gboolean rl_vcard_parser_end (RlVcardParser *self, GError **error);
guint rl_vcard_parser_get_n_cards (RlVcardParser *self);
guint rl_vcard_parser_get_n_skipped (RlVcardParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlVcardParser, rl_vcard_parser_free)

G_END_DECLS
