/* rl-contact-segment.h: a batch of contacts with its own search index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-contact.h"

G_BEGIN_DECLS

typedef struct _RlContactSegment RlContactSegment;

/* One search result: lower scores rank first. */
typedef struct
{
  RlContact *contact; /* not a reference: valid while its segment is */
  guint score;
} RlContactHit;

RlContactSegment *rl_contact_segment_new (const char *source, GPtrArray *contacts);
RlContactSegment *rl_contact_segment_merge (const char *source, GPtrArray *segments);
RlContactSegment *rl_contact_segment_ref (RlContactSegment *segment);
void rl_contact_segment_unref (RlContactSegment *segment);
const char *rl_contact_segment_get_source (RlContactSegment *segment);
guint rl_contact_segment_get_n_contacts (RlContactSegment *segment);
gsize rl_contact_segment_get_index_size (RlContactSegment *segment);
guint rl_contact_segment_get_n_numbers (RlContactSegment *segment);
void rl_contact_segment_search_words (RlContactSegment *segment, char **words, guint max,
                                      GArray *hits);
void rl_contact_segment_search_digits (RlContactSegment *segment, const char *digits, guint max,
                                       GArray *hits);
RlContact *rl_contact_segment_find_e164 (RlContactSegment *segment, const char *e164);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlContactSegment, rl_contact_segment_unref)

G_END_DECLS
