/* test-vcard.c: the vCard parser over the three versions and broken input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-error.h"
#include "rl-vcard-parser.h"

#include <string.h>

static void
collect (RlVcard *card, gpointer user_data)
{
  g_ptr_array_add (user_data, card);
}

/* Parses @text fed @chunk bytes at a time (0: all at once). */
static GPtrArray *
parse (const char *text, gsize len, gsize chunk, guint *skipped, GError **error)
{
  GPtrArray *cards = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_vcard_free);
  g_autoptr (RlVcardParser) parser = rl_vcard_parser_new (collect, cards);
  gboolean ok = TRUE;

  chunk = chunk ? chunk : len;
  for (gsize at = 0; ok && at < len; at += chunk)
    ok = rl_vcard_parser_feed (parser, text + at, MIN (chunk, len - at), error);
  ok = ok && rl_vcard_parser_end (parser, error);
  if (skipped)
    *skipped = rl_vcard_parser_get_n_skipped (parser);
  if (!ok)
    g_clear_pointer (&cards, g_ptr_array_unref);
  return cards;
}

static RlVcard *
card_at (GPtrArray *cards, guint i)
{
  return g_ptr_array_index (cards, i);
}

static const char *
phone (RlVcard *card, guint i)
{
  return g_ptr_array_index (card->phones, i);
}

static const char *
phone_type (RlVcard *card, guint i)
{
  return g_ptr_array_index (card->phone_types, i);
}

static void
test_v30 (void)
{
  const char *text = "BEGIN:VCARD\r\n"
                     "VERSION:3.0\r\n"
                     "N:Pérez;Ana;María;Dra.;\r\n"
                     "FN:Ana Pérez\r\n"
                     "ORG:Acme\\, Inc.;Sales\r\n"
                     "TEL;TYPE=CELL:+34 600 11 22 33\r\n"
                     "TEL;TYPE=WORK,VOICE:(555) 010-0100\r\n"
                     "item1.TEL:917370192\r\n"
                     "item1.X-ABLabel:Office\r\n"
                     "EMAIL;TYPE=INTERNET:ana@example.org\r\n"
                     "NOTE:Line one\\nLine two\\, with comma\r\n"
                     "UID:urn:uuid:1234\r\n"
                     "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg\r\n"
                     " ABCDEF\r\n"
                     "END:VCARD\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cards = parse (text, strlen (text), 0, NULL, &error);
  RlVcard *c;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  c = card_at (cards, 0);
  g_assert_cmpstr (c->name, ==, "Ana Pérez");
  g_assert_cmpstr (c->company, ==, "Acme, Inc.");
  g_assert_cmpuint (c->phones->len, ==, 3);
  g_assert_cmpstr (phone (c, 0), ==, "+34 600 11 22 33");
  g_assert_cmpstr (phone_type (c, 0), ==, "cell");
  g_assert_cmpstr (phone (c, 1), ==, "(555) 010-0100");
  g_assert_cmpstr (phone_type (c, 1), ==, "work,voice");
  g_assert_cmpstr (phone (c, 2), ==, "917370192");
  g_assert_cmpstr (g_ptr_array_index (c->emails, 0), ==, "ana@example.org");
  g_assert_cmpstr (c->note, ==, "Line one\nLine two, with comma");
  g_assert_cmpstr (c->uid, ==, "urn:uuid:1234");
  g_assert_cmpuint (c->line, ==, 1);
}

static void
test_v40 (void)
{
  const char *text = "BEGIN:VCARD\n"
                     "VERSION:4.0\n"
                     "FN:Zhang\n"
                     "  Wei\n"
                     "N:Zhang;Wei;;;\n"
                     "TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+1-555-555-0199\n"
                     "EMAIL;TYPE=work:mailto:wei@example.com\n"
                     "END:VCARD\n"
                     "BEGIN:VCARD\n"
                     "VERSION:4.0\n"
                     "FN:张伟\n"
                     "TEL:+86 10 1234 5678\n"
                     "END:VCARD\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cards = parse (text, strlen (text), 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  /* Folding: the continuation's first space goes, the second stays. */
  g_assert_cmpstr (card_at (cards, 0)->name, ==, "Zhang Wei");
  g_assert_cmpstr (phone (card_at (cards, 0), 0), ==, "+1-555-555-0199");
  g_assert_cmpstr (phone_type (card_at (cards, 0), 0), ==, "cell,voice");
  g_assert_cmpstr (g_ptr_array_index (card_at (cards, 0)->emails, 0), ==, "wei@example.com");
  g_assert_cmpstr (card_at (cards, 1)->name, ==, "张伟");
  g_assert_cmpuint (card_at (cards, 1)->line, ==, 9);
}

static void
test_v21 (void)
{
  const char *text = "BEGIN:VCARD\r\n"
                     "VERSION:2.1\r\n"
                     "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Garc=EDa;Jos=E9;;;\r\n"
                     "TEL;HOME;VOICE:+34 917 37 01 92\r\n"
                     "TEL;CELL:0034600112233\r\n"
                     "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Caf=C3=A9 con =\r\n"
                     "le=C3=B1a\r\n"
                     "END:VCARD\r\n"
                     "BEGIN:VCARD\r\n"
                     "VERSION:2.1\r\n"
                     "FN:Mu\xf1oz\r\n"
                     "TEL:1\r\n"
                     "END:VCARD\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cards = parse (text, strlen (text), 0, NULL, &error);
  RlVcard *c;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  c = card_at (cards, 0);
  /* No FN: the name comes from N, in reading order. */
  g_assert_cmpstr (c->name, ==, "José García");
  g_assert_cmpstr (phone_type (c, 0), ==, "home,voice");
  g_assert_cmpstr (phone (c, 1), ==, "0034600112233");
  g_assert_cmpstr (phone_type (c, 1), ==, "cell");
  g_assert_cmpstr (c->note, ==, "Café con leña");
  /* No CHARSET and not UTF-8: Latin-1, as 2.1 exporters wrote. */
  g_assert_cmpstr (card_at (cards, 1)->name, ==, "Muñoz");
}

static void
test_name_fallbacks (void)
{
  const char *text = "BEGIN:VCARD\nVERSION:3.0\nORG:Acme;Support\nTEL:1\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:3.0\nEMAIL:x@example.org\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:3.0\nFN:\nTEL:555 0100\nEND:VCARD\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cards = parse (text, strlen (text), 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 3);
  g_assert_cmpstr (card_at (cards, 0)->name, ==, "Acme");
  g_assert_cmpstr (card_at (cards, 1)->name, ==, "x@example.org");
  g_assert_cmpstr (card_at (cards, 2)->name, ==, "555 0100");
}

/* Fed a byte at a time, or in odd pieces, the result is the same. */
static void
test_chunks (void)
{
  g_autofree char *text = NULL;
  GString *file = g_string_new (NULL);

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (file,
                            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %u\r\n  folded\r\n"
                            "TEL;TYPE=cell:+1 555 %04u\r\nEND:VCARD\r\n",
                            i, i);
  text = g_string_free (file, FALSE);
  for (gsize chunk = 1; chunk < 40; chunk += 7)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) cards = parse (text, strlen (text), chunk, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (cards->len, ==, 50);
      g_assert_cmpstr (card_at (cards, 49)->name, ==, "Person 49 folded");
      g_assert_cmpstr (phone (card_at (cards, 49), 0), ==, "+1 555 0049");
    }
}

/* Broken entries are skipped and counted; the ones around them are kept. */
static void
test_broken_entries (void)
{
  const char *text = "BEGIN:VCARD\nFN:Good One\nTEL:1\nEND:VCARD\n"
                     "BEGIN:VCARD\nFN:No colon\nthis line is broken\nEND:VCARD\n"
                     "BEGIN:VCARD\nFN:Never ended\n"
                     "BEGIN:VCARD\nFN:Good Two\nEND:VCARD\n"
                     "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n"
                     "END:VCARD\n"
                     "BEGIN:VCARD\nFN:Cut off at the end\n";
  g_autoptr (GError) error = NULL;
  guint skipped = 0;
  g_autoptr (GPtrArray) cards = parse (text, strlen (text), 0, &skipped, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  g_assert_cmpstr (card_at (cards, 0)->name, ==, "Good One");
  g_assert_cmpstr (card_at (cards, 1)->name, ==, "Good Two");
  g_assert_cmpuint (skipped, ==, 4);
}

static void
test_not_vcard (void)
{
  g_autoptr (GString) prose = g_string_new (NULL);
  const char binary[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

  for (guint i = 0; i < 100; i++)
    g_string_append (prose, "Dear friend, this is a letter, not an address book.\n");
  for (guint i = 0; i < 3; i++)
    {
      const char *text = i == 0 ? prose->str : i == 1 ? binary : "";
      gsize len = i == 0 ? prose->len : i == 1 ? sizeof binary - 1 : 0;
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) cards = parse (text, len, 0, NULL, &error);

      g_assert_null (cards);
      g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, "Not a vCard file"));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vcard/v3.0", test_v30);
  g_test_add_func ("/vcard/v4.0", test_v40);
  g_test_add_func ("/vcard/v2.1", test_v21);
  g_test_add_func ("/vcard/name-fallbacks", test_name_fallbacks);
  g_test_add_func ("/vcard/chunks", test_chunks);
  g_test_add_func ("/vcard/broken-entries", test_broken_entries);
  g_test_add_func ("/vcard/not-vcard", test_not_vcard);
  return g_test_run ();
}
