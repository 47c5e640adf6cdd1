/* rl-error.h: the error domain for failures a user or a client can cause.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RL_ERROR (rl_error_quark ())

/* Each code maps to the D-Bus error org.ringline.Ringline.Error.<Name>. */
typedef enum
{
  RL_ERROR_FAILED,
  RL_ERROR_INVALID_ARGUMENT,
  RL_ERROR_NOT_REGISTERED,
  RL_ERROR_ENGINE_UNAVAILABLE,
  RL_ERROR_NOT_FOUND,
  RL_ERROR_INVALID_STATE,
  RL_ERROR_PROTOCOL,
  RL_ERROR_TIMED_OUT,
  RL_ERROR_NO_ACCOUNT,
  RL_ERROR_OFFLINE,     /* the backend cannot be reached */
  RL_ERROR_AUTH_FAILED, /* credentials or tokens refused */
  RL_ERROR_BACKEND,     /* the backend failed or answered nonsense */
  RL_ERROR_NOT_SIGNED_IN,
  RL_ERROR_NO_AUDIO_DEVICE, /* no microphone or speaker to call with */
  RL_ERROR_NOT_SUPPORTED,   /* the running call engine cannot do it */
} RlError;

GQuark rl_error_quark (void);

G_END_DECLS
