/* rl-park-slots-private.h: the reader of the backend's park slots, for the
 * fuzz target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-park-slots.h"

G_BEGIN_DECLS

GVariant *_rl_park_slots_from_json (JsonNode *reply, GError **error);

G_END_DECLS
