/* rl-baresip-output.c
 *
 * Read from the pipe's own source at low priority, pausing between reads:
 * with the trace on, every SIP message wakes the reader, and a call setup's
 * messages are better read in one go than competing with baresip for the CPU
 * while it sets the call up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlBaresip"

#include "rl-baresip-output.h"

#include <string.h>

#define PAUSE_MS 100 /* between reads */
#define OUTPUT_LINE_MAX 65536

struct _RlBaresipOutput
{
  GObject parent_instance;

  GInputStream *stream;
  RlSipTrace *trace; /* not owned: the engine's, which outlives this */
  GSource *source;
  guint pause_id;
  GString *line;
  char *local_address;   /* the IPv4 address baresip says it uses, once it has */
  gboolean in_addresses; /* reading modern baresip's list of addresses */
};

G_DEFINE_FINAL_TYPE (RlBaresipOutput, rl_baresip_output, G_TYPE_OBJECT)

static void watch (RlBaresipOutput *self);

/* One line of modern baresip's list, "       eth0:  192.0.2.2"; the first
 * IPv4 address is the one it uses. FALSE once the list is over. */
static gboolean
read_listed_address (RlBaresipOutput *self, const char *line)
{
  const char *colon = strchr (line, ':');
  g_autofree char *address = NULL;

  if (!g_ascii_isspace (*line) || colon == NULL)
    return FALSE;
  address = g_strstrip (g_strdup (colon + 1));
  if (self->local_address == NULL && g_hostname_is_ip_address (address) && !strchr (address, ':'))
    self->local_address = g_steal_pointer (&address);
  return TRUE;
}

/* Printed at start: "Local network address:  IPv4=eth0|192.0.2.2  IPv6=…"
 * (1.0), or "Local network addresses:" and one line each (modern). */
static void
read_local_address (RlBaresipOutput *self, const char *line)
{
  const char *v4 = strstr (line, "IPv4=");
  const char *bar = v4 ? strchr (v4, '|') : NULL;

  if (self->in_addresses)
    self->in_addresses = read_listed_address (self, line);
  if (g_str_equal (line, "Local network addresses:"))
    {
      g_clear_pointer (&self->local_address, g_free);
      self->in_addresses = TRUE;
    }
  if (!g_str_has_prefix (line, "Local network address:") || bar == NULL)
    return;
  g_free (self->local_address);
  self->local_address = g_strndup (bar + 1, strcspn (bar + 1, " \t"));
}

static void
read_line (RlBaresipOutput *self, const char *line)
{
  read_local_address (self, line);
  /* baresip does not print passwords, but an account line echoed by some
   * version must not reach the log either; nor does the SIP trace, with its
   * digest responses and SDP keys (and should a block go unrecognised, no
   * credentials). */
  if (rl_sip_trace_feed (self->trace, line) || strstr (line, "auth_pass") != NULL
      || strstr (line, "uthorization:") != NULL)
    return;
  /* The digits of a DTMF line are what callers key in: PINs, card numbers. */
  if (strstr (line, "DTMF") != NULL)
    g_debug ("baresip: (a DTMF line, its digits withheld)");
  else
    g_debug ("baresip: %s", line);
}

static void
take (RlBaresipOutput *self, const char *bytes, gsize length)
{
  const char *end = bytes + length;

  while (bytes < end)
    {
      const char *newline = memchr (bytes, '\n', end - bytes);
      const char *stop = newline ? newline : end;

      g_string_append_len (self->line, bytes, stop - bytes);
      if (newline || self->line->len >= OUTPUT_LINE_MAX)
        {
          read_line (self, self->line->str);
          g_string_truncate (self->line, 0);
        }
      bytes = newline ? newline + 1 : end;
    }
}

static void
stop (RlBaresipOutput *self)
{
  if (self->source)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  g_clear_handle_id (&self->pause_id, g_source_remove);
  g_clear_object (&self->stream);
}

static gboolean
on_pause_over (gpointer user_data)
{
  RlBaresipOutput *self = user_data;

  self->pause_id = 0;
  watch (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_ready (GObject *stream, gpointer user_data)
{
  RlBaresipOutput *self = user_data;

  g_clear_pointer (&self->source, g_source_unref);
  if (!rl_baresip_output_drain (self))
    {
      stop (self);
      return G_SOURCE_REMOVE;
    }
  self->pause_id = g_timeout_add (PAUSE_MS, on_pause_over, self);
  return G_SOURCE_REMOVE;
}

static void
watch (RlBaresipOutput *self)
{
  self->source
    = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->stream), NULL);
  g_source_set_priority (self->source, G_PRIORITY_LOW);
  g_source_set_callback (self->source, G_SOURCE_FUNC (on_ready), self, NULL);
  /* Not blocked while it runs: blocking takes the pipe out of the poll set
   * and puts it back, each step waking the loop for an empty turn
   * (rl-ctrl-client.c). */
  g_source_set_can_recurse (self->source, TRUE);
  g_source_attach (self->source, NULL);
}

static void
rl_baresip_output_dispose (GObject *object)
{
  stop (RL_BARESIP_OUTPUT (object));
  G_OBJECT_CLASS (rl_baresip_output_parent_class)->dispose (object);
}

static void
rl_baresip_output_finalize (GObject *object)
{
  g_string_free (RL_BARESIP_OUTPUT (object)->line, TRUE);
  g_free (RL_BARESIP_OUTPUT (object)->local_address);
  G_OBJECT_CLASS (rl_baresip_output_parent_class)->finalize (object);
}

static void
rl_baresip_output_class_init (RlBaresipOutputClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_baresip_output_dispose;
  G_OBJECT_CLASS (klass)->finalize = rl_baresip_output_finalize;
}

static void
rl_baresip_output_init (RlBaresipOutput *self)
{
  self->line = g_string_new (NULL);
}

/**
 * rl_baresip_output_new:
 * @stream: a pollable stream (a subprocess's pipe)
 * @trace: where SIP trace lines go; it must outlive the reader
 */
RlBaresipOutput *
rl_baresip_output_new (GInputStream *stream, RlSipTrace *trace)
{
  RlBaresipOutput *self;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (trace != NULL, NULL);

  self = g_object_new (RL_TYPE_BARESIP_OUTPUT, NULL);
  self->stream = g_object_ref (stream);
  self->trace = trace;
  watch (self);
  return self;
}

/* Reads what baresip has printed so far, without waiting; FALSE once its
 * output has ended. */
gboolean
rl_baresip_output_drain (RlBaresipOutput *self)
{
  char buffer[16384];

  g_return_val_if_fail (RL_IS_BARESIP_OUTPUT (self), FALSE);

  if (self->stream == NULL)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr (GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->stream),
                                                           buffer, sizeof buffer, NULL, &error);

      if (n < 0)
        return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      if (n == 0)
        return FALSE;
      take (self, buffer, n);
    }
  return TRUE;
}

/* Returns: (nullable): the IPv4 address baresip reported at start, which its
 * SIP messages carry. */
const char *
rl_baresip_output_get_local_address (RlBaresipOutput *self)
{
  g_return_val_if_fail (RL_IS_BARESIP_OUTPUT (self), NULL);

  return self->local_address;
}
