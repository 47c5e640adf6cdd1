/* rl-park-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-park-slots.h"

G_BEGIN_DECLS

#define RL_TYPE_PARK_VIEW (rl_park_view_get_type ())
G_DECLARE_FINAL_TYPE (RlParkView, rl_park_view, RL, PARK_VIEW, AdwBin)

void rl_park_view_set_slots (RlParkView *self, RlParkSlots *slots);
GMenuModel *rl_park_view_get_park_menu (RlParkView *self);

G_END_DECLS
