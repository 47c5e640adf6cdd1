/* rl-history-index.c
 *
 * SQLite's LIKE scans every call twice (name, number), too slow for a search
 * that must answer in a frame (docs/architecture.md has the figures). Here
 * each call is one short haystack, its folded name and the digits of its
 * number, in one buffer, kept newest first; a search is one memmem per call
 * and yields the matching rowids in list order, so the count is their number
 * and a page is 50 rowid lookups.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */

#define G_LOG_DOMAIN "RlHistoryIndex"

#include "rl-history-index.h"
#include "rl-text.h"

#include <string.h>

typedef struct
{
  gint64 rowid;
  gint64 started_at;
  guint32 offset; /* of the haystack in text */
  guint32 length;
} Row;

struct _RlHistoryIndex
{
  GArray *rows; /* Row, newest first */
  GString *text;
};

RlHistoryIndex *
rl_history_index_new (void)
{
  RlHistoryIndex *index = g_new0 (RlHistoryIndex, 1);

  index->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  index->text = g_string_new (NULL);
  return index;
}

void
rl_history_index_free (RlHistoryIndex *index)
{
  g_array_unref (index->rows);
  g_string_free (index->text, TRUE);
  g_free (index);
}

static gboolean
is_phone_text (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!strchr ("0123456789+-(). ", *p))
      return FALSE;
  return TRUE;
}

static void
append_digits (GString *out, const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (out, *p);
}

/* What a search looks for: the digits of something typed like a number,
 * otherwise the text folded as names are (no case, no accents). */
char *
rl_history_index_normalize (const char *search)
{
  GString *out;

  if (search == NULL || !is_phone_text (search))
    return rl_text_fold (search);
  out = g_string_new (NULL);
  append_digits (out, search);
  return g_string_free (out, FALSE);
}

/* Newer first; among calls of the same time, the later written first. */
static gboolean
comes_before (const Row *a, gint64 started_at, gint64 rowid)
{
  return a->started_at > started_at || (a->started_at == started_at && a->rowid > rowid);
}

/* New calls are the newest, so this is a prepend but for merged history. */
void
rl_history_index_insert (RlHistoryIndex *index, gint64 rowid, gint64 started_at, const char *name,
                         const char *number)
{
  g_autofree char *folded = rl_text_fold (name);
  Row row = { rowid, started_at, (guint32) index->text->len, 0 };
  guint low = 0, high = index->rows->len;

  g_string_append (index->text, folded);
  g_string_append_c (index->text, '\n');
  append_digits (index->text, number ? number : "");
  row.length = (guint32) (index->text->len - row.offset);
  while (low < high)
    {
      guint mid = (low + high) / 2;

      if (comes_before (&g_array_index (index->rows, Row, mid), started_at, rowid))
        low = mid + 1;
      else
        high = mid;
    }
  g_array_insert_val (index->rows, low, row);
}

/**
 * rl_history_index_search:
 * @normalized: from rl_history_index_normalize(), not empty
 *
 * Returns: (transfer full) (element-type gint64): the rowids of the calls
 * that match, newest first
 */
GArray *
rl_history_index_search (RlHistoryIndex *index, const char *normalized)
{
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (gint64));
  size_t length = strlen (normalized);

  for (guint i = 0; i < index->rows->len; i++)
    {
      const Row *row = &g_array_index (index->rows, Row, i);

      if (memmem (index->text->str + row->offset, row->length, normalized, length))
        g_array_append_val (matches, row->rowid);
    }
  return matches;
}
