/* fuzz-vcard.c: the vCard parser on any bytes, fed in pieces whose size the
 * input's first byte picks (the parser keeps state across feeds), and each
 * card made into a contact as an import does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-contact.h"
#include "rl-vcard-parser.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
on_card (RlVcard *card, gpointer user_data)
{
  RlContact *contact;

  g_ptr_array_add (card->phones, NULL);
  g_ptr_array_add (card->emails, NULL);
  contact = rl_contact_new ("fuzz", card->uid ? card->uid : "", card->name,
                            (const char *const *) card->phones->pdata,
                            (const char *const *) card->emails->pdata, "ES");
  rl_contact_unref (contact);
  rl_vcard_free (card);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (RlVcardParser) parser = rl_vcard_parser_new (on_card, NULL);
  gsize piece = size ? (data[0] % 64) + 1 : 1;
  gboolean ok = TRUE;

  for (gsize at = 0; ok && at < size; at += piece)
    ok = rl_vcard_parser_feed (parser, (const char *) data + at, MIN (piece, size - at), NULL);
  if (ok)
    rl_vcard_parser_end (parser, NULL);
  return 0;
}
