/* rl-vcard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlVcard"

#include "rl-vcard.h"

RlVcard *
rl_vcard_new (guint line)
{
  RlVcard *card = g_new0 (RlVcard, 1);

  card->phones = g_ptr_array_new_with_free_func (g_free);
  card->phone_types = g_ptr_array_new_with_free_func (g_free);
  card->emails = g_ptr_array_new_with_free_func (g_free);
  card->line = line;
  return card;
}

void
rl_vcard_free (RlVcard *card)
{
  if (card == NULL)
    return;
  g_free (card->uid);
  g_free (card->name);
  g_free (card->company);
  g_free (card->note);
  g_ptr_array_unref (card->phones);
  g_ptr_array_unref (card->phone_types);
  g_ptr_array_unref (card->emails);
  g_free (card);
}

/* The parser hands over the strings it decoded instead of copying them. */
void
rl_vcard_take_phone (RlVcard *card, char *number, const char *types)
{
  g_ptr_array_add (card->phones, number);
  g_ptr_array_add (card->phone_types, g_strdup (types ? types : ""));
}

void
rl_vcard_take_email (RlVcard *card, char *email)
{
  g_ptr_array_add (card->emails, email);
}
