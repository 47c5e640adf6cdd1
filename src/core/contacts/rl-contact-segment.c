/* rl-contact-segment.c
 *
 * A segment is built once, off the main loop, and never changes, so the main
 * loop can take a new one in O(1) and search it while the next is built.
 * Three sorted arrays of 8-byte entries point into the contacts' own strings:
 *
 *   words     every word of every folded name    → name prefix search
 *   suffixes  every suffix of every number's digits → digit substring search
 *   e164      every number in E.164              → caller ID
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlContactSegment"

#include "rl-contact-segment.h"

#include <string.h>

typedef struct
{
  guint32 contact;
  guint32 offset; /* into the folded name */
} WordRef;

typedef struct
{
  guint32 contact;
  guint16 phone;
  guint16 offset; /* into the digits */
} NumberRef;

struct _RlContactSegment
{
  char *source;
  RlContact **contacts;
  guint n_contacts;
  WordRef *words;
  gsize n_words;
  NumberRef *suffixes;
  gsize n_suffixes;
  NumberRef *e164;
  gsize n_e164;
};

static const char *
word_at (RlContact **contacts, const WordRef *w)
{
  return contacts[w->contact]->folded + w->offset;
}

/* Words end at a space or at the end of the name. */
static int
word_cmp (const char *a, const char *b)
{
  for (;; a++, b++)
    {
      char ca = *a == ' ' ? '\0' : *a;
      char cb = *b == ' ' ? '\0' : *b;

      if (ca != cb || ca == '\0')
        return (guchar) ca - (guchar) cb;
    }
}

static gint
sort_words (gconstpointer a, gconstpointer b, gpointer contacts)
{
  return word_cmp (word_at (contacts, a), word_at (contacts, b));
}

static const char *
suffix_at (RlContact **contacts, const NumberRef *n)
{
  return contacts[n->contact]->digits[n->phone] + n->offset;
}

static gint
sort_suffixes (gconstpointer a, gconstpointer b, gpointer contacts)
{
  return strcmp (suffix_at (contacts, a), suffix_at (contacts, b));
}

static const char *
e164_at (RlContact **contacts, const NumberRef *n)
{
  return contacts[n->contact]->e164[n->phone];
}

static gint
sort_e164 (gconstpointer a, gconstpointer b, gpointer contacts)
{
  return strcmp (e164_at (contacts, a), e164_at (contacts, b));
}

static void
count_entries (RlContactSegment *self)
{
  for (guint i = 0; i < self->n_contacts; i++)
    {
      RlContact *c = self->contacts[i];

      for (const char *p = c->folded; *p; p++)
        if (p == c->folded || p[-1] == ' ')
          self->n_words++;
      for (guint j = 0; c->digits[j]; j++)
        {
          self->n_suffixes += strlen (c->digits[j]);
          self->n_e164 += *c->e164[j] != '\0';
        }
    }
}

static void
fill_entries (RlContactSegment *self)
{
  gsize w = 0, s = 0, e = 0;

  for (guint32 i = 0; i < self->n_contacts; i++)
    {
      RlContact *c = self->contacts[i];

      for (const char *p = c->folded; *p; p++)
        if (p == c->folded || p[-1] == ' ')
          self->words[w++] = (WordRef){ i, (guint32) (p - c->folded) };
      for (guint16 j = 0; c->digits[j]; j++)
        {
          gsize len = MIN (strlen (c->digits[j]), G_MAXUINT16);

          for (guint16 k = 0; k < len; k++)
            self->suffixes[s++] = (NumberRef){ i, j, k };
          if (*c->e164[j])
            self->e164[e++] = (NumberRef){ i, j, 0 };
        }
    }
  self->n_suffixes = s;
}

/**
 * rl_contact_segment_new:
 * @contacts: (element-type RlContact): taken over
 *
 * Builds the index: O(n log n), for a worker thread.
 */
RlContactSegment *
rl_contact_segment_new (const char *source, GPtrArray *contacts)
{
  RlContactSegment *self = g_atomic_rc_box_new0 (RlContactSegment);

  self->source = g_strdup (source);
  self->n_contacts = contacts->len;
  self->contacts = (RlContact **) g_ptr_array_free (contacts, FALSE);
  count_entries (self);
  self->words = g_new (WordRef, self->n_words);
  self->suffixes = g_new (NumberRef, self->n_suffixes);
  self->e164 = g_new (NumberRef, self->n_e164);
  fill_entries (self);
  g_qsort_with_data (self->words, self->n_words, sizeof (WordRef), sort_words, self->contacts);
  g_qsort_with_data (self->suffixes, self->n_suffixes, sizeof (NumberRef), sort_suffixes,
                     self->contacts);
  g_qsort_with_data (self->e164, self->n_e164, sizeof (NumberRef), sort_e164, self->contacts);
  return self;
}

/* --- merging ------------------------------------------------------------ */

/* Merges sorted runs of @n entries of @size bytes, each starting at
 * starts[i] (starts[n_runs] == n), pairwise until one is left: O(n log runs)
 * instead of sorting again, O(n log n). Stable. */
static void
merge_runs (gpointer data, gsize n, gsize size, gsize *starts, guint n_runs, GCompareDataFunc cmp,
            gpointer user_data)
{
  guint8 *src = data;
  guint8 *dst = g_malloc (MAX (n, 1) * size);

  while (n_runs > 1)
    {
      guint out = 0;

      for (guint r = 0; r < n_runs; r += 2, out++)
        {
          gsize a = starts[r], a_end = starts[r + 1];
          gsize b = a_end, b_end = r + 2 <= n_runs ? starts[MIN (r + 2, n_runs)] : a_end;
          gsize o = a;

          while (a < a_end && b < b_end)
            {
              gboolean take_a = cmp (src + a * size, src + b * size, user_data) <= 0;
              gsize from = take_a ? a++ : b++;

              memcpy (dst + o++ * size, src + from * size, size);
            }
          memcpy (dst + o * size, src + a * size, (a_end - a) * size);
          o += a_end - a;
          memcpy (dst + o * size, src + b * size, (b_end - b) * size);
          starts[out] = starts[r];
        }
      starts[out] = n;
      n_runs = out;
      {
        guint8 *t = src;

        src = dst;
        dst = t;
      }
    }
  if (src != data)
    {
      memcpy (data, src, n * size);
      dst = src;
    }
  g_free (dst);
}

/* Each segment's sorted entries, one after the other, their contact indices
 * moved by the segment's place in the merged contacts. */
#define CONCAT(self, segments, field, count)                                                       \
  G_STMT_START                                                                                     \
  {                                                                                                \
    guint32 base = 0;                                                                              \
    gsize at = 0;                                                                                  \
    for (guint i = 0; i < (segments)->len; i++)                                                    \
      {                                                                                            \
        RlContactSegment *s = g_ptr_array_index ((segments), i);                                   \
        starts[i] = at;                                                                            \
        for (gsize j = 0; j < s->count; j++, at++)                                                 \
          {                                                                                        \
            (self)->field[at] = s->field[j];                                                       \
            (self)->field[at].contact += base;                                                     \
          }                                                                                        \
        base += s->n_contacts;                                                                     \
      }                                                                                            \
    starts[(segments)->len] = at;                                                                  \
  }                                                                                                \
  G_STMT_END

/**
 * rl_contact_segment_merge:
 * @segments: (element-type RlContactSegment): of one source
 *
 * One segment standing for @segments: their contacts, and their sorted
 * arrays merged rather than sorted again. For a worker thread.
 */
RlContactSegment *
rl_contact_segment_merge (const char *source, GPtrArray *segments)
{
  RlContactSegment *self = g_atomic_rc_box_new0 (RlContactSegment);
  g_autofree gsize *starts = g_new (gsize, segments->len + 1);
  guint next = 0;

  self->source = g_strdup (source);
  for (guint i = 0; i < segments->len; i++)
    {
      RlContactSegment *s = g_ptr_array_index (segments, i);

      self->n_contacts += s->n_contacts;
      self->n_words += s->n_words;
      self->n_suffixes += s->n_suffixes;
      self->n_e164 += s->n_e164;
    }
  self->contacts = g_new (RlContact *, MAX (self->n_contacts, 1));
  for (guint i = 0; i < segments->len; i++)
    {
      RlContactSegment *s = g_ptr_array_index (segments, i);

      for (guint j = 0; j < s->n_contacts; j++)
        self->contacts[next++] = rl_contact_ref (s->contacts[j]);
    }
  self->words = g_new (WordRef, MAX (self->n_words, 1));
  self->suffixes = g_new (NumberRef, MAX (self->n_suffixes, 1));
  self->e164 = g_new (NumberRef, MAX (self->n_e164, 1));
  CONCAT (self, segments, words, n_words);
  merge_runs (self->words, self->n_words, sizeof (WordRef), starts, segments->len, sort_words,
              self->contacts);
  CONCAT (self, segments, suffixes, n_suffixes);
  merge_runs (self->suffixes, self->n_suffixes, sizeof (NumberRef), starts, segments->len,
              sort_suffixes, self->contacts);
  CONCAT (self, segments, e164, n_e164);
  merge_runs (self->e164, self->n_e164, sizeof (NumberRef), starts, segments->len, sort_e164,
              self->contacts);
  return self;
}

static void
segment_clear (gpointer data)
{
  RlContactSegment *self = data;

  for (guint i = 0; i < self->n_contacts; i++)
    rl_contact_unref (self->contacts[i]);
  g_free (self->contacts);
  g_free (self->words);
  g_free (self->suffixes);
  g_free (self->e164);
  g_free (self->source);
}

RlContactSegment *
rl_contact_segment_ref (RlContactSegment *segment)
{
  return g_atomic_rc_box_acquire (segment);
}

void
rl_contact_segment_unref (RlContactSegment *segment)
{
  g_atomic_rc_box_release_full (segment, segment_clear);
}

const char *
rl_contact_segment_get_source (RlContactSegment *segment)
{
  return segment->source;
}

guint
rl_contact_segment_get_n_contacts (RlContactSegment *segment)
{
  return segment->n_contacts;
}

guint
rl_contact_segment_get_n_numbers (RlContactSegment *segment)
{
  guint n = 0;

  for (guint i = 0; i < segment->n_contacts; i++)
    n += g_strv_length (segment->contacts[i]->phones);
  return n;
}

/* Bytes of the three arrays: what the index costs beyond the contacts. */
gsize
rl_contact_segment_get_index_size (RlContactSegment *segment)
{
  return segment->n_words * sizeof (WordRef)
         + (segment->n_suffixes + segment->n_e164) * sizeof (NumberRef);
}

/* --- search ------------------------------------------------------------ */

static gboolean
word_has_prefix (const char *word, const char *prefix)
{
  for (; *prefix; word++, prefix++)
    if (*word != *prefix || *word == ' ' || *word == '\0')
      return FALSE;
  return TRUE;
}

/* The first index in @words whose word is >= @prefix. */
static gsize
lower_bound_word (RlContactSegment *self, const char *prefix)
{
  gsize lo = 0, hi = self->n_words;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (word_cmp (word_at (self->contacts, &self->words[mid]), prefix) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* How well @folded matches every query word: 0 best; G_MAXUINT when a word
 * matches none of the name's words. */
static guint
name_score (const char *folded, char **query)
{
  guint score = 0;

  for (guint q = 0; query[q]; q++)
    {
      guint best = G_MAXUINT;
      guint position = 0;

      for (const char *p = folded; *p; p++)
        if (p == folded || p[-1] == ' ')
          {
            if (word_has_prefix (p, query[q]))
              {
                gsize len = strlen (query[q]);
                gboolean whole = p[len] == ' ' || p[len] == '\0';

                best = MIN (best, (whole ? 0 : 10) + MIN (position, 9));
              }
            position++;
          }
      if (best == G_MAXUINT)
        return G_MAXUINT;
      score += best;
    }
  return score;
}

static void
add_hit (GArray *hits, RlContact *contact, guint score)
{
  RlContactHit hit = { contact, score };

  g_array_append_val (hits, hit);
}

/* How many words start with @prefix, from @from (its lower bound) on. */
static gsize
count_prefixed (RlContactSegment *self, gsize from, const char *prefix)
{
  gsize lo = from, hi = self->n_words;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (word_has_prefix (word_at (self->contacts, &self->words[mid]), prefix)
          || word_cmp (word_at (self->contacts, &self->words[mid]), prefix) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo - from;
}

typedef struct
{
  gsize start;
  gsize n;
} Range;

static int
compare_ranges (const void *a, const void *b)
{
  gsize x = ((const Range *) a)->n, y = ((const Range *) b)->n;

  return (x > y) - (x < y);
}

/* The contacts some word of which starts with each query word: the word
 * array's ranges intersected through bitmaps of contact indices, which needs
 * no name read (scanning the rarest word's names for the others was too slow
 * at a million names). The names are then scored in the rarest word's
 * order. */
static void
search_several (RlContactSegment *self, char **words, Range *ranges, guint n_ranges, guint max,
                GArray *hits)
{
  gsize n_blocks = (self->n_contacts + 31) / 32;
  g_autofree guint32 *kept = g_new0 (guint32, n_blocks);
  g_autofree guint32 *next = g_new (guint32, n_blocks);

  qsort (ranges, n_ranges, sizeof *ranges, compare_ranges);
  for (gsize i = ranges[0].start; i < ranges[0].start + ranges[0].n; i++)
    kept[self->words[i].contact / 32] |= 1u << (self->words[i].contact % 32);
  for (guint r = 1; r < n_ranges; r++)
    {
      memset (next, 0, n_blocks * sizeof *next);
      for (gsize i = ranges[r].start; i < ranges[r].start + ranges[r].n; i++)
        {
          guint32 c = self->words[i].contact;

          next[c / 32] |= kept[c / 32] & (1u << (c % 32));
        }
      memcpy (kept, next, n_blocks * sizeof *kept);
    }
  for (gsize i = ranges[0].start; i < ranges[0].start + ranges[0].n && max > 0; i++)
    {
      guint32 c = self->words[i].contact;
      guint score;

      if (!(kept[c / 32] & (1u << (c % 32))))
        continue;
      kept[c / 32] &= ~(1u << (c % 32)); /* once per contact */
      score = name_score (self->contacts[c]->folded, words);
      if (score != G_MAXUINT)
        {
          add_hit (hits, self->contacts[c], score);
          max--;
        }
    }
}

/**
 * rl_contact_segment_search_words:
 * @words: folded query words; every one must start a word of the name
 * @max: at most this many hits are added
 */
void
rl_contact_segment_search_words (RlContactSegment *self, char **words, guint max, GArray *hits)
{
  guint n_words = g_strv_length (words);
  g_autofree Range *ranges = g_new (Range, MAX (n_words, 1));
  guint32 last = G_MAXUINT32;

  if (n_words == 0)
    return;
  for (guint i = 0; i < n_words; i++)
    {
      ranges[i].start = lower_bound_word (self, words[i]);
      ranges[i].n = count_prefixed (self, ranges[i].start, words[i]);
      if (ranges[i].n == 0)
        return;
    }
  if (n_words > 1)
    return search_several (self, words, ranges, n_words, max, hits);
  for (gsize i = ranges[0].start; i < ranges[0].start + ranges[0].n && max > 0; i++)
    {
      const WordRef *w = &self->words[i];

      if (w->contact == last)
        continue;
      last = w->contact;
      add_hit (hits, self->contacts[w->contact],
               name_score (self->contacts[w->contact]->folded, words));
      max--;
    }
}

static gsize
lower_bound_suffix (RlContactSegment *self, const char *digits)
{
  gsize lo = 0, hi = self->n_suffixes;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (strcmp (suffix_at (self->contacts, &self->suffixes[mid]), digits) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Numbers holding @digits anywhere: the whole number first, then numbers
 * starting with it, then the rest. */
void
rl_contact_segment_search_digits (RlContactSegment *self, const char *digits, guint max,
                                  GArray *hits)
{
  gsize len = strlen (digits);

  for (gsize i = lower_bound_suffix (self, digits); i < self->n_suffixes && max > 0; i++)
    {
      const NumberRef *n = &self->suffixes[i];
      const char *suffix = suffix_at (self->contacts, n);
      gboolean whole;

      if (strncmp (suffix, digits, len) != 0)
        break;
      whole = n->offset == 0 && suffix[len] == '\0';
      add_hit (hits, self->contacts[n->contact], whole ? 0 : n->offset == 0 ? 10 : 20);
      max--;
    }
}

RlContact *
rl_contact_segment_find_e164 (RlContactSegment *self, const char *e164)
{
  gsize lo = 0, hi = self->n_e164;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      int cmp = strcmp (e164_at (self->contacts, &self->e164[mid]), e164);

      if (cmp == 0)
        return self->contacts[self->e164[mid].contact];
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}
