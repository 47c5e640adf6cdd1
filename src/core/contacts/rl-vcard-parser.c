/* rl-vcard-parser.c
 *
 * A single pass over the bytes, a line at a time, that keeps only the
 * properties a phone needs (FN, N, ORG, TEL, EMAIL, NOTE, UID). Physical
 * lines are joined into logical ones (RFC 6350 folding: a line that starts
 * with a space or a tab continues the previous one; vCard 2.1
 * quoted-printable values continue after a line ending in "="). Values are
 * decoded (quoted-printable, CHARSET, backslash escapes) into UTF-8.
 *
 * A broken card (a line with no colon, BEGIN inside a card, a card with no
 * name and no way to reach it) is skipped and counted, with its line in the
 * log; the cards around it are kept. Input that holds no vCard at all is an
 * error.
 *
 * Longer than most files: one parser over one buffer, with its decoders
 * (quoted-printable, charsets, escapes) kept beside the state they feed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlVcard"

#include "rl-vcard-parser.h"
#include "rl-error.h"

#include <string.h>

#define MAX_LINE (1024 * 1024) /* a longer logical line is not a contact's */
#define LOGGED_SKIPS 20        /* after these, skips are only counted */
#define PROLOGUE_LINES 64      /* lines allowed before the first BEGIN:VCARD */

struct _RlVcardParser
{
  RlVcardFunc func;
  gpointer user_data;

  GString *partial; /* a physical line not ended yet */
  GString *logical; /* the logical line being joined */
  GString *types;   /* the property's types, reused from one to the next */
  guint logical_line;
  gboolean logical_qp; /* a quoted-printable value: "=" at the end continues it */
  guint line;          /* physical lines seen */

  RlVcard *card; /* the card being read */
  gboolean broken;
  char *broken_why;
  char *n_value; /* N as written: made a name only for a card with no FN */
  guint seen_begin;
  guint prologue;
  guint n_cards;
  guint n_skipped;
};

RlVcardParser *
rl_vcard_parser_new (RlVcardFunc func, gpointer user_data)
{
  RlVcardParser *self = g_new0 (RlVcardParser, 1);

  self->func = func;
  self->user_data = user_data;
  self->partial = g_string_new (NULL);
  self->logical = g_string_new (NULL);
  self->types = g_string_new (NULL);
  return self;
}

void
rl_vcard_parser_free (RlVcardParser *self)
{
  if (self == NULL)
    return;
  g_string_free (self->partial, TRUE);
  g_string_free (self->logical, TRUE);
  g_string_free (self->types, TRUE);
  rl_vcard_free (self->card);
  g_free (self->broken_why);
  g_free (self->n_value);
  g_free (self);
}

guint
rl_vcard_parser_get_n_cards (RlVcardParser *self)
{
  return self->n_cards;
}

guint
rl_vcard_parser_get_n_skipped (RlVcardParser *self)
{
  return self->n_skipped;
}

/* --- decoding values -------------------------------------------------- */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = g_ascii_toupper (c);
  return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void
decode_quoted_printable (GString *value)
{
  gsize out = 0;

  for (gsize in = 0; in < value->len; in++)
    {
      int hi, lo;

      if (value->str[in] == '=' && in + 2 < value->len && (hi = hex_value (value->str[in + 1])) >= 0
          && (lo = hex_value (value->str[in + 2])) >= 0)
        {
          value->str[out++] = (char) (hi << 4 | lo);
          in += 2;
        }
      else
        value->str[out++] = value->str[in];
    }
  g_string_truncate (value, out);
}

/* Into UTF-8: the declared charset, else UTF-8 if it is valid, else
 * Latin-1 (what vCard 2.1 exporters without CHARSET mostly wrote). */
static char *
to_utf8 (const char *bytes, gsize len, const char *charset)
{
  char *text = NULL;

  if (charset && g_ascii_strcasecmp (charset, "UTF-8") != 0)
    text = g_convert (bytes, len, "UTF-8", charset, NULL, NULL, NULL);
  if (text == NULL && g_utf8_validate_len (bytes, len, NULL))
    text = g_strndup (bytes, len);
  if (text == NULL)
    text = g_convert (bytes, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  if (text == NULL)
    text = g_utf8_make_valid (bytes, len);
  return text;
}

/* Backslash escapes of vCard 3.0 and 4.0; in place. */
static char *
unescape (char *text)
{
  char *out = text;

  for (char *in = text; *in; in++)
    {
      if (*in == '\\' && in[1])
        {
          in++;
          *out++ = (*in == 'n' || *in == 'N') ? '\n' : *in;
        }
      else
        *out++ = *in;
    }
  *out = '\0';
  return text;
}

/* The components of a structured value (N, ORG), split at unescaped ";". */
static char **
split_components (const char *value)
{
  GPtrArray *parts = g_ptr_array_new ();
  GString *part = g_string_new (NULL);

  for (const char *p = value;; p++)
    {
      if (*p == '\\' && p[1])
        {
          g_string_append_c (part, *p++);
          g_string_append_c (part, *p);
        }
      else if (*p == ';' || *p == '\0')
        {
          g_ptr_array_add (parts, unescape (g_string_free (part, FALSE)));
          if (*p == '\0')
            break;
          part = g_string_new (NULL);
        }
      else
        g_string_append_c (part, *p);
    }
  g_ptr_array_add (parts, NULL);
  return (char **) g_ptr_array_free (parts, FALSE);
}

/* A structured value's first component (ORG's organisation), in place. */
static char *
first_component (char *value)
{
  for (char *p = value; *p; p++)
    {
      if (*p == '\\' && p[1])
        p++;
      else if (*p == ';')
        {
          *p = '\0';
          break;
        }
    }
  return unescape (value);
}

/* --- one property ----------------------------------------------------- */

/* The properties a contact uses; most lines of an export are none of them. */
typedef enum
{
  PROP_OTHER,
  PROP_FN,
  PROP_N,
  PROP_ORG,
  PROP_TEL,
  PROP_EMAIL,
  PROP_NOTE,
  PROP_UID,
} PropertyKind;

typedef struct
{
  PropertyKind kind;
  char *charset;
  gboolean quoted_printable;
  gboolean base64;
  GString *types; /* lower case, comma-joined; the parser's */
} Property;

/* Every property of every card passes here: no allocation. */
static void
add_type (GString *types, const char *type, gsize len)
{
  while (len && g_ascii_isspace (type[len - 1]))
    len--;
  if (len == 0)
    return;
  if (types->len)
    g_string_append_c (types, ',');
  for (gsize i = 0; i < len; i++)
    g_string_append_c (types, g_ascii_tolower (type[i]));
}

/* TYPE=cell,work or TYPE="cell, work". */
static void
add_types (GString *types, const char *value)
{
  for (const char *p = value; *p;)
    {
      gsize len;

      p += strspn (p, "\", \t");
      len = strcspn (p, "\",");
      add_type (types, p, len);
      p += len;
    }
}

/* One ";"-separated parameter: TYPE=cell, CHARSET=…, ENCODING=…, or a bare
 * vCard 2.1 word (HOME, QUOTED-PRINTABLE). */
static void
read_param (Property *prop, char *param)
{
  char *eq = strchr (param, '=');
  const char *value = eq ? eq + 1 : param;

  if (eq)
    *eq = '\0';
  if (eq && g_ascii_strcasecmp (param, "CHARSET") == 0)
    {
      g_free (prop->charset); /* the last one counts */
      prop->charset = g_strdup (value);
    }
  else if ((eq && g_ascii_strcasecmp (param, "ENCODING") == 0) || !eq)
    {
      if (g_ascii_strcasecmp (value, "QUOTED-PRINTABLE") == 0)
        prop->quoted_printable = TRUE;
      else if (g_ascii_strcasecmp (value, "BASE64") == 0 || g_ascii_strcasecmp (value, "B") == 0)
        prop->base64 = TRUE;
      else if (!eq)
        add_type (prop->types, value, strlen (value));
    }
  else if (g_ascii_strcasecmp (param, "TYPE") == 0)
    add_types (prop->types, value);
}

static void
read_params (Property *prop, char *head)
{
  char *semi = strchr (head, ';');

  for (char *param = semi ? semi + 1 : NULL; param;)
    {
      char *next = strchr (param, ';');

      if (next)
        *next++ = '\0';
      read_param (prop, param);
      param = next;
    }
}

static void
property_clear (Property *prop)
{
  g_free (prop->charset);
}

/* --- cards ------------------------------------------------------------ */

static void
skip_card (RlVcardParser *self, const char *why)
{
  self->n_skipped++;
  if (self->n_skipped <= LOGGED_SKIPS)
    g_message ("vCard entry at line %u skipped: %s", self->card ? self->card->line : self->line,
               why);
  else if (self->n_skipped == LOGGED_SKIPS + 1)
    g_message ("More vCard entries skipped; only their number is reported from now on");
  g_clear_pointer (&self->card, rl_vcard_free);
  g_clear_pointer (&self->n_value, g_free);
  g_clear_pointer (&self->broken_why, g_free);
  self->broken = FALSE;
}

static void
break_card (RlVcardParser *self, const char *why)
{
  if (!self->broken)
    {
      self->broken = TRUE;
      self->broken_why = g_strdup_printf ("%s (line %u)", why, self->logical_line);
    }
}

static char *
name_from_n (const char *value)
{
  g_auto (GStrv) parts = split_components (value);
  /* family;given;additional;prefixes;suffixes → "prefixes given additional family suffixes" */
  const guint order[] = { 3, 1, 2, 0, 4 };
  GString *name = g_string_new (NULL);
  guint n = g_strv_length (parts);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *part = order[i] < n ? g_strstrip (parts[order[i]]) : "";

      if (*part == '\0')
        continue;
      if (name->len)
        g_string_append_c (name, ' ');
      g_string_append (name, part);
    }
  return g_string_free (name, FALSE);
}

static void
end_card (RlVcardParser *self)
{
  RlVcard *card = self->card;

  if (self->broken)
    {
      g_autofree char *why = g_steal_pointer (&self->broken_why);

      skip_card (self, why);
      return;
    }
  /* FN first, then N, then the company, then what reaches them. */
  if (card->name == NULL || *g_strstrip (card->name) == '\0')
    {
      g_autofree char *n_name = self->n_value ? name_from_n (self->n_value) : NULL;

      g_free (card->name);
      card->name = g_strdup (n_name && *n_name   ? n_name
                             : card->company     ? card->company
                             : card->emails->len ? g_ptr_array_index (card->emails, 0)
                             : card->phones->len ? g_ptr_array_index (card->phones, 0)
                                                 : NULL);
    }
  if (card->name == NULL || *card->name == '\0')
    {
      skip_card (self, "no name, number or e-mail");
      return;
    }
  g_clear_pointer (&self->n_value, g_free);
  self->card = NULL;
  self->n_cards++;
  self->func (card, self->user_data);
}

static char *
strip_scheme (char *value, const char *scheme)
{
  gsize len = strlen (scheme);

  if (g_ascii_strncasecmp (value, scheme, len) == 0)
    memmove (value, value + len, strlen (value + len) + 1);
  return g_strstrip (value);
}

/* Sets @field to @value, taking it. */
static void
take (char **field, char **value)
{
  g_free (*field);
  *field = g_steal_pointer (value);
}

static void
use_property (RlVcardParser *self, Property *prop, char **owned)
{
  RlVcard *card = self->card;
  char *value = *owned;

  switch (prop->kind)
    {
    case PROP_FN:
      unescape (value);
      take (&card->name, owned);
      break;
    case PROP_N:
      take (&self->n_value, owned);
      break;
    case PROP_ORG:
      g_strstrip (first_component (value));
      take (&card->company, owned);
      break;
    case PROP_TEL:
      strip_scheme (unescape (value), "tel:");
      if (*value)
        rl_vcard_take_phone (card, g_steal_pointer (owned), prop->types->str);
      break;
    case PROP_EMAIL:
      strip_scheme (unescape (value), "mailto:");
      if (*value)
        rl_vcard_take_email (card, g_steal_pointer (owned));
      break;
    case PROP_NOTE:
      unescape (value);
      take (&card->note, owned);
      break;
    case PROP_UID:
      g_strstrip (unescape (value));
      take (&card->uid, owned);
      break;
    case PROP_OTHER:
      break;
    }
}

/* The property @line names, before its parameters and colon, after any
 * group (item1.TEL). */
static PropertyKind
kind_of (const char *line, const char *colon)
{
  static const struct
  {
    const char *name;
    gsize len;
    PropertyKind kind;
  } names[] = {
    { "FN", 2, PROP_FN },   { "N", 1, PROP_N },         { "ORG", 3, PROP_ORG },
    { "TEL", 3, PROP_TEL }, { "EMAIL", 5, PROP_EMAIL }, { "NOTE", 4, PROP_NOTE },
    { "UID", 3, PROP_UID },
  };
  const char *name = line;
  gsize len;

  for (const char *p = line; p < colon && *p != ';'; p++)
    if (*p == '.')
      name = p + 1;
  len = strcspn (name, ";:");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (len == names[i].len && g_ascii_strncasecmp (name, names[i].name, len) == 0)
      return names[i].kind;
  return PROP_OTHER;
}

static void
read_property (RlVcardParser *self, char *line, char *colon)
{
  Property prop = { 0 };
  g_autoptr (GString) raw = NULL;
  g_autofree char *value = NULL;

  prop.kind = kind_of (line, colon);
  if (prop.kind == PROP_OTHER)
    return;
  prop.types = self->types;
  g_string_truncate (prop.types, 0);
  *colon = '\0';
  read_params (&prop, line);
  if (!prop.base64)
    {
      if (prop.quoted_printable)
        {
          raw = g_string_new (colon + 1);
          decode_quoted_printable (raw);
        }
      value = raw ? to_utf8 (raw->str, raw->len, prop.charset)
                  : to_utf8 (colon + 1, strlen (colon + 1), prop.charset);
      use_property (self, &prop, &value);
    }
  property_clear (&prop);
}

static gboolean
is_word (const char *text, gsize len, const char *word)
{
  return len == strlen (word) && g_ascii_strncasecmp (text, word, len) == 0;
}

/* BEGIN:VCARD / END:VCARD, with any group prefix and spaces around. */
static gboolean
is_marker (const char *line, const char *colon, const char *marker)
{
  const char *name = line;
  const char *dot = memchr (line, '.', colon - line);
  const char *value = colon + 1;
  gsize len;

  if (dot)
    name = dot + 1;
  if (!is_word (name, colon - name, marker))
    return FALSE;
  while (g_ascii_isspace (*value))
    value++;
  len = strlen (value);
  while (len && g_ascii_isspace (value[len - 1]))
    len--;
  return is_word (value, len, "VCARD");
}

static gboolean
process_logical (RlVcardParser *self, GError **error)
{
  char *line = self->logical->str;
  char *colon;

  if (self->logical->len == 0)
    return TRUE;
  colon = strchr (line, ':');
  if (colon && is_marker (line, colon, "BEGIN"))
    {
      if (self->card)
        skip_card (self, "BEGIN:VCARD inside a card, or END:VCARD missing");
      self->card = rl_vcard_new (self->logical_line);
      self->seen_begin++;
      return TRUE;
    }
  if (self->card == NULL)
    {
      /* Text around the cards is ignored; text instead of cards is not. */
      if (self->seen_begin == 0 && ++self->prologue > PROLOGUE_LINES)
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                       "Not a vCard file: no BEGIN:VCARD in its first %u lines", PROLOGUE_LINES);
          return FALSE;
        }
      return TRUE;
    }
  if (colon && is_marker (line, colon, "END"))
    end_card (self);
  else if (colon == NULL)
    break_card (self, "a line with no colon");
  else if (!self->broken)
    read_property (self, line, colon);
  return TRUE;
}

static gboolean
ends_soft_break (GString *logical)
{
  return logical->len && logical->str[logical->len - 1] == '=';
}

static gboolean
is_quoted_printable (const char *line, gsize len)
{
  const char *colon = memchr (line, ':', len);

  return colon && g_strstr_len (line, colon - line, "QUOTED-PRINTABLE") != NULL;
}

/* One physical line, its line break removed. */
static gboolean
process_physical (RlVcardParser *self, const char *line, gsize len, GError **error)
{
  self->line++;
  if (len && line[len - 1] == '\r')
    len--;
  if (memchr (line, '\0', len))
    {
      if (self->seen_begin == 0)
        {
          g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                               "Not a vCard file: it holds binary data");
          return FALSE;
        }
      if (self->card)
        break_card (self, "binary data");
      return TRUE;
    }
  if (self->logical->len && len && (line[0] == ' ' || line[0] == '\t'))
    {
      g_string_append_len (self->logical, line + 1, len - 1);
      return TRUE;
    }
  if (self->logical_qp && ends_soft_break (self->logical))
    {
      g_string_truncate (self->logical, self->logical->len - 1);
      g_string_append_len (self->logical, line, len);
      return TRUE;
    }
  if (!process_logical (self, error))
    return FALSE;
  g_string_assign (self->logical, "");
  g_string_append_len (self->logical, line, len);
  self->logical_line = self->line;
  self->logical_qp = is_quoted_printable (line, len);
  return TRUE;
}

/**
 * rl_vcard_parser_feed:
 * @data: the next bytes of the file, cut anywhere
 *
 * Returns: FALSE with @error when the input is not a vCard file; broken
 * cards are only counted.
 */
gboolean
rl_vcard_parser_feed (RlVcardParser *self, const char *data, gsize len, GError **error)
{
  const char *end = data + len;

  while (data < end)
    {
      const char *nl = memchr (data, '\n', end - data);

      if (nl == NULL)
        {
          g_string_append_len (self->partial, data, end - data);
          break;
        }
      if (self->partial->len)
        {
          g_string_append_len (self->partial, data, nl - data);
          if (!process_physical (self, self->partial->str, self->partial->len, error))
            return FALSE;
          g_string_truncate (self->partial, 0);
        }
      else if (!process_physical (self, data, nl - data, error))
        return FALSE;
      data = nl + 1;
    }
  if (self->partial->len > MAX_LINE || self->logical->len > MAX_LINE)
    {
      if (self->seen_begin == 0)
        {
          g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                               "Not a vCard file: its lines are far too long");
          return FALSE;
        }
      if (self->card)
        break_card (self, "a line longer than 1 MiB");
      g_string_truncate (self->partial, 0);
      g_string_truncate (self->logical, 0);
    }
  return TRUE;
}

/* The input is over: a card left open is broken. */
gboolean
rl_vcard_parser_end (RlVcardParser *self, GError **error)
{
  if (self->partial->len)
    {
      g_autoptr (GString) last = g_string_new_len (self->partial->str, self->partial->len);

      g_string_truncate (self->partial, 0);
      if (!process_physical (self, last->str, last->len, error))
        return FALSE;
    }
  if (!process_logical (self, error))
    return FALSE;
  g_string_truncate (self->logical, 0);
  if (self->card)
    skip_card (self, "the file ends inside it (END:VCARD missing)");
  if (self->seen_begin == 0)
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                           "Not a vCard file: no BEGIN:VCARD in it");
      return FALSE;
    }
  return TRUE;
}
