/* bench-contacts.c: 1M generated contacts through the contact store.
 *
 *   bench-contacts DIR [N]
 *
 * Writes DIR/contacts.vcf (N contacts, default 1 000 000, about 1.3 numbers
 * each), then measures, in this process: parsing the file with Ringline's
 * parser and, when built with it, with Evolution Data Server's EVCard;
 * importing it into the store (total time, and the longest gap of a 1 ms
 * probe on the main loop meanwhile, beside the same probe while as many
 * threads only spin for as long); pushing the same contacts as the aa{sv}
 * a D-Bus SetContacts carries; search median and p99 over the full index; the
 * index's bytes per number. Prints one JSON object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-contact-store.h"
#include "rl-vcard-parser.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#ifdef HAVE_EDS
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libebook-contacts/libebook-contacts.h>
G_GNUC_END_IGNORE_DEPRECATIONS
#endif

static const char *const first_names[] = {
  "José",   "María",  "Zoë",   "François", "Björn",   "Łukasz",  "Søren", "Ana",   "Luis",
  "Chloé",  "Mehmet", "Aisha", "Olga",     "Hiroshi", "Priya",   "Noah",  "Emma",  "Liam",
  "Sofía",  "Mateo",  "Inès",  "Jürgen",   "Ngozi",   "Kofi",    "Elena", "Marco", "Giulia",
  "Dmitri", "Fatima", "Yusuf", "Amélie",   "Ciarán",  "Siobhán", "Pål",   "Åsa",   "Zsófia",
};
static const char *const last_names[] = {
  "García",  "Fernández", "Müller",    "Dubois",  "Kowalski", "Nielsen", "Pérez",   "Rossi",
  "Smith",   "Johnson",   "Yılmaz",    "Ivanova", "Tanaka",   "Sharma",  "O'Brien", "Novák",
  "Andrés",  "Lefèvre",   "Svensson",  "Okafor",  "Mensah",   "Bianchi", "Popescu", "Horváth",
  "Schäfer", "Moreau",    "Lindqvist", "Haddad",  "Nakamura", "Kim",     "Nguyễn",  "Silva",
};
static const char *const han_names[]
  = { "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "黄敏", "赵军" };
/* Each X becomes a digit. */
static const char *const formats[]
  = { "+34 9XX XXX XXX",   "0034 9XXXXXXXX",   "9XX XXX XXX",
      "+1 (5XX) XXX-XXXX", "+44 20 XXXX XXXX", "+86 10 XXXX XXXX" };

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
number (GString *out, GRand *rand)
{
  for (const char *c = formats[g_rand_int_range (rand, 0, G_N_ELEMENTS (formats))]; *c; c++)
    g_string_append_c (out, *c == 'X' ? '0' + g_rand_int_range (rand, 0, 10) : *c);
}

/* One card: names from the lists (a Han name in one of 20), one number, a
 * second for three in ten, a UID for half, an e-mail and an ORG now and then. */
static void
write_card (GString *out, guint i, GRand *rand, guint *n_numbers)
{
  guint32 r = g_rand_int (rand);
  const char *first = first_names[r % G_N_ELEMENTS (first_names)];
  const char *last = last_names[(r >> 8) % G_N_ELEMENTS (last_names)];

  g_string_append (out, "BEGIN:VCARD\r\nVERSION:3.0\r\n");
  if (i % 2 == 0)
    g_string_append_printf (out, "UID:bench-%u\r\n", i);
  if (r % 20 == 0)
    g_string_append_printf (out, "FN:%s\r\n", han_names[(r >> 16) % G_N_ELEMENTS (han_names)]);
  else
    g_string_append_printf (out, "N:%s;%s;;;\r\nFN:%s %s %u\r\n", last, first, first, last, i);
  g_string_append (out, "TEL;TYPE=work,voice:");
  number (out, rand);
  g_string_append (out, "\r\n");
  (*n_numbers)++;
  if (r % 10 < 3)
    {
      g_string_append (out, "TEL;TYPE=cell:");
      number (out, rand);
      g_string_append (out, "\r\n");
      (*n_numbers)++;
    }
  if (r % 4 == 0)
    g_string_append_printf (out, "EMAIL;TYPE=INTERNET:person%u@example.com\r\nORG:Acme %u\r\n", i,
                            r % 97);
  g_string_append (out, "END:VCARD\r\n");
}

static guint
generate (const char *path, guint n)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261123);
  g_autoptr (GString) out = g_string_sized_new (160 * n);
  g_autoptr (GError) error = NULL;
  guint n_numbers = 0;

  for (guint i = 0; i < n; i++)
    write_card (out, i, rand, &n_numbers);
  if (!g_file_set_contents (path, out->str, out->len, &error))
    g_error ("%s", error->message);
  return n_numbers;
}

/* --- parsing only ------------------------------------------------------------ */

static void
drop_card (RlVcard *card, gpointer user_data)
{
  rl_vcard_free (card);
}

static double
parse_ringline (const char *data, gsize len, guint *n_cards)
{
  g_autoptr (RlVcardParser) parser = rl_vcard_parser_new (drop_card, NULL);
  double start = now_ms ();

  for (gsize at = 0; at < len; at += 256 * 1024)
    rl_vcard_parser_feed (parser, data + at, MIN (256 * 1024, len - at), NULL);
  rl_vcard_parser_end (parser, NULL);
  *n_cards = rl_vcard_parser_get_n_cards (parser);
  return now_ms () - start;
}

#ifdef HAVE_EDS
/* EVCard parses one card per string and lazily, so each card's attributes
 * are asked for; cutting the file into cards is not counted. */
static double
parse_eds (const char *data, guint *n_cards)
{
  g_auto (GStrv) pieces = g_strsplit (data, "END:VCARD\r\n", -1);
  g_autoptr (GPtrArray) cards = g_ptr_array_new_with_free_func (g_free);
  double start;

  for (guint i = 0; pieces[i]; i++)
    if (strstr (pieces[i], "BEGIN:VCARD"))
      g_ptr_array_add (cards, g_strconcat (pieces[i], "END:VCARD\r\n", NULL));
  start = now_ms ();
  for (guint i = 0; i < cards->len; i++)
    {
      EVCard *card = e_vcard_new_from_string (g_ptr_array_index (cards, i));

      e_vcard_get_attributes (card);
      g_object_unref (card);
    }
  *n_cards = cards->len;
  return now_ms () - start;
}
#endif

/* --- the store ---------------------------------------------------------------- */

typedef struct
{
  double last;
  double longest;
  guint over_8ms; /* ticks that came more than 8 ms late */
} Probe;

static gboolean
probe_tick (gpointer data)
{
  Probe *probe = data;
  double now = now_ms ();
  double late = now - probe->last - 1.0;

  probe->longest = MAX (probe->longest, late);
  probe->over_8ms += late > 8.0;
  probe->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
store_idle (RlContactStore *store)
{
  return !rl_contact_store_is_busy (store);
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!rl_contact_store_import_finish (RL_CONTACT_STORE (source), result, NULL, NULL, NULL, NULL,
                                       &error))
    g_error ("%s", error->message);
}

static void
on_pushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!rl_contact_store_set_contacts_finish (RL_CONTACT_STORE (source), result, &error))
    g_error ("%s", error->message);
}

/* Runs the main loop, the probe ticking every ms, until the store is idle. */
static double
run_until_idle (RlContactStore *store, double start, Probe *probe)
{
  guint id;

  *probe = (Probe){ now_ms (), 0, 0 };
  id = g_timeout_add (1, probe_tick, probe);
  while (!store_idle (store))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return now_ms () - start;
}

static gint spinning;

static gpointer
spin (gpointer data)
{
  volatile guint64 n = 0;

  while (g_atomic_int_get (&spinning))
    n++;
  return NULL;
}

/* The reference for the stalls: the same probe for as long, while @threads
 * threads that touch nothing of the main loop's keep the cores as busy as
 * the store's workers do. What the probe sees then is the machine's own
 * scheduling, not the store. */
static void
run_reference (double duration_ms, guint threads, Probe *probe)
{
  g_autoptr (GPtrArray) spinners = g_ptr_array_new ();
  double end = now_ms () + duration_ms;
  guint id;

  g_atomic_int_set (&spinning, 1);
  for (guint i = 0; i < threads; i++)
    g_ptr_array_add (spinners, g_thread_new ("spin", spin, NULL));
  *probe = (Probe){ now_ms (), 0, 0 };
  id = g_timeout_add (1, probe_tick, probe);
  while (now_ms () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_atomic_int_set (&spinning, 0);
  for (guint i = 0; i < spinners->len; i++)
    g_thread_join (g_ptr_array_index (spinners, i));
}

static void
keep_card (RlVcard *card, gpointer cards)
{
  g_ptr_array_add (cards, card);
}

/* What a D-Bus SetContacts hands the store: the cards as aa{sv}. */
static GVariant *
as_push (const char *data, gsize len)
{
  g_autoptr (GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify) rl_vcard_free);
  g_autoptr (RlVcardParser) parser = rl_vcard_parser_new (keep_card, cards);
  GVariantBuilder list;

  rl_vcard_parser_feed (parser, data, len, NULL);
  rl_vcard_parser_end (parser, NULL);
  g_variant_builder_init (&list, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < cards->len; i++)
    {
      RlVcard *card = g_ptr_array_index (cards, i);
      g_autofree char *id = g_strdup_printf ("%u", i);
      GVariantBuilder c;

      g_ptr_array_add (card->phones, NULL);
      g_variant_builder_init (&c, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&c, "{sv}", "id", g_variant_new_string (id));
      g_variant_builder_add (&c, "{sv}", "name", g_variant_new_string (card->name));
      g_variant_builder_add (&c, "{sv}", "phones",
                             g_variant_new_strv ((const char *const *) card->phones->pdata, -1));
      g_variant_builder_add (&list, "a{sv}", &c);
    }
  /* Through the D-Bus wire format and back, as GDBus hands a method its
   * arguments: a SetContacts message, marshalled and parsed again. */
  {
    g_autoptr (GDBusMessage) call
      = g_dbus_message_new_method_call ("org.ringline.Ringline", "/org/ringline/Ringline",
                                        "org.ringline.Ringline.Contacts1", "SetContacts");
    g_autoptr (GDBusMessage) received = NULL;
    g_autofree guchar *blob = NULL;
    gsize size = 0;
    g_autoptr (GError) error = NULL;

    g_dbus_message_set_body (call,
                             g_variant_new ("(s@aa{sv})", "crm", g_variant_builder_end (&list)));
    blob = g_dbus_message_to_blob (call, &size, G_DBUS_CAPABILITY_FLAGS_NONE, &error);
    g_assert_no_error (error);
    received = g_dbus_message_new_from_blob (blob, size, G_DBUS_CAPABILITY_FLAGS_NONE, &error);
    g_assert_no_error (error);
    return g_variant_get_child_value (g_dbus_message_get_body (received), 1);
  }
}

typedef struct
{
  const char *data;
  gsize len;
} PushInput;

static gpointer
as_push_thread (gpointer data)
{
  PushInput *input = data;

  return as_push (input->data, input->len);
}

/* GDBus reads and parses messages in its own thread: building the push in
 * one leaves its millions of freed blocks in that thread's malloc arena, as
 * in the app, not in the main thread's, which the main loop would then
 * consolidate on its next large allocation (140 ms, measured). */
static GVariant *
as_push_elsewhere (const char *data, gsize len)
{
  PushInput input = { data, len };

  return g_thread_join (g_thread_new ("gdbus", as_push_thread, &input));
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Queries an agent types: two or three letters of a name, a name and a
 * surname's start, a Han character, or four to seven digits of a number. */
static void
time_searches (RlContactStore *store, double *median, double *p99)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  const guint n = 2000;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *query = NULL;
      g_autoptr (GPtrArray) results = NULL;
      guint32 r = g_rand_int (rand);
      double start, took;

      switch (r % 4)
        {
        case 0:
          query = g_utf8_substring (first_names[(r >> 4) % G_N_ELEMENTS (first_names)], 0,
                                    2 + (r >> 12) % 2);
          break;
        case 1:
          query = g_strdup_printf ("%s %.*s", first_names[(r >> 4) % G_N_ELEMENTS (first_names)], 2,
                                   last_names[(r >> 12) % G_N_ELEMENTS (last_names)]);
          break;
        case 2:
          query = g_utf8_substring (han_names[(r >> 4) % G_N_ELEMENTS (han_names)], 0, 1);
          break;
        default:
          query = g_strdup_printf ("%0*u", 4 + (r >> 4) % 4, (r >> 8) % 10000000);
        }
      start = now_ms ();
      results = rl_contact_store_search (store, query, 50);
      took = now_ms () - start;
      g_array_append_val (times, took);
    }
  g_array_sort (times, compare_doubles);
  *median = g_array_index (times, double, n / 2);
  *p99 = g_array_index (times, double, n * 99 / 100);
}

int
main (int argc, char *argv[])
{
  const char *dir = argc > 1 ? argv[1] : NULL;
  guint n = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1000000;
  g_autofree char *vcf = NULL, *db = NULL, *data = NULL;
  g_autoptr (RlContactStore) store = NULL;
  g_autoptr (RlContactStore) pushed = NULL;
  g_autoptr (GVariant) push = NULL;
  g_autoptr (GFile) file = NULL;
  double parse_ms, eds_ms = -1, import_ms, push_ms, median, p99, start;
  Probe import_probe, push_probe, import_ref, push_ref;
  guint n_numbers, n_cards, eds_cards = 0;
  gsize len;

  if (dir == NULL || n == 0)
    {
      g_printerr ("usage: bench-contacts DIR [N]\n");
      return 2;
    }
  vcf = g_build_filename (dir, "contacts.vcf", NULL);
  db = g_build_filename (dir, "contacts.db", NULL);
  g_mkdir_with_parents (dir, 0700);
  n_numbers = generate (vcf, n);
  g_file_get_contents (vcf, &data, &len, NULL);

  /* Best of three, alternating, so neither gets a quieter machine. */
  parse_ms = G_MAXDOUBLE;
  for (guint round = 0; round < 3; round++)
    {
      parse_ms = MIN (parse_ms, parse_ringline (data, len, &n_cards));
#ifdef HAVE_EDS
      eds_ms = round ? MIN (eds_ms, parse_eds (data, &eds_cards)) : parse_eds (data, &eds_cards);
#endif
    }

  g_unlink (db);
  store = rl_contact_store_new (db);
  rl_contact_store_set_region (store, "ES");
  file = g_file_new_for_path (vcf);
  start = now_ms ();
  rl_contact_store_import_async (store, file, NULL, on_imported, NULL);
  import_ms = run_until_idle (store, start, &import_probe);
  /* The import keeps two threads busy (parsing and indexing, the database
   * writer), the push one. */
  run_reference (import_ms, 2, &import_ref);
  time_searches (store, &median, &p99);

  push = as_push_elsewhere (data, len);
  pushed = rl_contact_store_new (db);
  rl_contact_store_set_region (pushed, "ES");
  start = now_ms ();
  rl_contact_store_set_contacts_async (pushed, "crm", push, FALSE, NULL, on_pushed, NULL);
  push_ms = run_until_idle (pushed, start, &push_probe);
  run_reference (push_ms, 1, &push_ref);

  g_print (
    "{\"contacts\": %u, \"numbers\": %u, \"file_bytes\": %" G_GSIZE_FORMAT ",\n"
    " \"parse_ms\": %.0f, \"eds_parse_ms\": %.0f, \"eds_cards\": %u,\n"
    " \"import_ms\": %.0f, \"import_longest_stall_ms\": %.2f, \"import_stalls_over_8ms\": %u,\n"
    " \"import_reference_longest_stall_ms\": %.2f, \"import_reference_stalls_over_8ms\": %u,\n"
    " \"push_ms\": %.0f, \"push_longest_stall_ms\": %.2f, \"push_stalls_over_8ms\": %u,\n"
    " \"push_reference_longest_stall_ms\": %.2f, \"push_reference_stalls_over_8ms\": %u,\n"
    " \"search_median_ms\": %.4f, \"search_p99_ms\": %.4f,\n"
    " \"indexed_contacts\": %u, \"indexed_numbers\": %u, \"index_bytes\": %" G_GSIZE_FORMAT "}\n",
    n_cards, n_numbers, len, parse_ms, eds_ms, eds_cards, import_ms, import_probe.longest,
    import_probe.over_8ms, import_ref.longest, import_ref.over_8ms, push_ms, push_probe.longest,
    push_probe.over_8ms, push_ref.longest, push_ref.over_8ms, median, p99,
    rl_contact_store_get_n_contacts (store), rl_contact_store_get_n_numbers (store),
    rl_contact_store_get_index_size (store));
  g_unlink (db);
  return 0;
}
