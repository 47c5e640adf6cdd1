/* rl-park-lot.h: the lab backend's parking lot (baresip bots as slots).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

typedef struct _RlParkSlot RlParkSlot;

void rl_park_lot_load (const char *path, const char *domain);
gboolean rl_park_lot_serves (const char *domain);
RlParkSlot *rl_park_lot_find (const char *extension);
JsonNode *rl_park_lot_to_json (void);
gboolean rl_park_slot_is_occupied (RlParkSlot *slot);
const char *rl_park_slot_get_peer (RlParkSlot *slot);
char *rl_park_slot_expect (RlParkSlot *slot, const char *agent);
gboolean rl_park_slot_retrieve (RlParkSlot *slot, const char *agent);
