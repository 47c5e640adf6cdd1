/* rl-park-slots.h: the call center's shared park slots (docs/dbus-api.md, Park slots).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-phone.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_PARK_SLOTS (rl_park_slots_get_type ())
G_DECLARE_FINAL_TYPE (RlParkSlots, rl_park_slots, RL, PARK_SLOTS, GObject)

RlParkSlots *rl_park_slots_new (RlPhone *phone, RlSession *session, GSettings *settings);
GVariant *rl_park_slots_get_slots (RlParkSlots *self);
void rl_park_slots_hold (RlParkSlots *self);
void rl_park_slots_release (RlParkSlots *self);
gboolean rl_park_slots_get_polling (RlParkSlots *self);

void rl_park_slots_park_async (RlParkSlots *self, RlCall *call, const char *slot,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
gboolean rl_park_slots_park_finish (RlParkSlots *self, GAsyncResult *result, GError **error);
void rl_park_slots_retrieve_async (RlParkSlots *self, const char *slot, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
RlCall *rl_park_slots_retrieve_finish (RlParkSlots *self, GAsyncResult *result, GError **error);

G_END_DECLS
