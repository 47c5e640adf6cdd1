/* rl-quality.c
 *
 * The label comes from a simplified ITU-T G.107 E-model, the usual way VoIP
 * monitors turn loss, jitter and delay into one figure:
 *
 *   delay = RTT / 2 + 2 × jitter + 10 ms
 *   R     = 93.2 − (delay < 160 ? delay / 40 : (delay − 120) / 10) − 2.5 × loss %
 *   MOS   = 1 + 0.035 R + 7·10⁻⁶ R (R − 60) (100 − R)
 *
 * and R ≥ 85 is excellent, ≥ 75 good, ≥ 60 fair, below that poor. With no
 * jitter or delay that puts the steps near 3 %, 7 % and 13 % loss.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlQuality"

#include "rl-quality.h"
#include "rl-json.h"

#include <string.h>

/* baresip reports packets, not octets: the bitrate assumes a G.711 frame of
 * 20 ms (160 bytes) plus its 12-byte RTP header. */
#define ESTIMATED_PACKET_BITS ((160 + 12) * 8)

/* Fills @sample from an event's "rtcp_stats"; FALSE when a figure is missing
 * or of the wrong type. */
gboolean
rl_quality_sample_from_json (JsonObject *rtcp_stats, RlQualitySample *sample)
{
  JsonObject *tx, *rx;

  g_return_val_if_fail (sample != NULL, FALSE);
  if (rtcp_stats == NULL)
    return FALSE;
  tx = rl_json_member_object (rtcp_stats, "tx");
  rx = rl_json_member_object (rtcp_stats, "rx");
  sample->time_us = g_get_monotonic_time ();
  return rl_json_lookup_int (tx, "sent", &sample->tx_packets)
         && rl_json_lookup_int (tx, "lost", &sample->tx_lost)
         && rl_json_lookup_int (tx, "jit", &sample->tx_jitter_us)
         && rl_json_lookup_int (rx, "sent", &sample->rx_packets)
         && rl_json_lookup_int (rx, "lost", &sample->rx_lost)
         && rl_json_lookup_int (rx, "jit", &sample->rx_jitter_us)
         && rl_json_lookup_int (rtcp_stats, "rtt", &sample->rtt_us);
}

/**
 * rl_quality_label:
 * @mos: (out) (optional): the mean opinion score, 1 to 4.5
 *
 * Returns: "excellent", "good", "fair" or "poor".
 */
const char *
rl_quality_label (double loss_percent, double jitter_ms, double rtt_ms, double *mos)
{
  double delay = MAX (rtt_ms, 0) / 2 + 2 * MAX (jitter_ms, 0) + 10;
  double r = 93.2 - (delay < 160 ? delay / 40 : (delay - 120) / 10) - 2.5 * MAX (loss_percent, 0);

  r = CLAMP (r, 0, 100);
  if (mos)
    *mos = CLAMP (1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r), 1, 4.5);
  if (r >= 85)
    return "excellent";
  if (r >= 75)
    return "good";
  if (r >= 60)
    return "fair";
  return "poor";
}

static double
percent (gint64 part, gint64 whole)
{
  return whole > 0 ? 100.0 * CLAMP (part, 0, whole) / whole : 0;
}

/* The label and the figures it comes from, as both a report and a refresh
 * give them. */
static void
add_verdict (GVariantBuilder *b, double loss_in, double loss_out, double jitter, double rtt)
{
  double mos = 0;
  const char *label = rl_quality_label (MAX (loss_in, loss_out), jitter, rtt, &mos);

  g_variant_builder_add (b, "{sv}", "label", g_variant_new_string (label));
  g_variant_builder_add (b, "{sv}", "mos", g_variant_new_double (mos));
  g_variant_builder_add (b, "{sv}", "loss_percent", g_variant_new_double (MAX (loss_in, loss_out)));
  g_variant_builder_add (b, "{sv}", "loss_in_percent", g_variant_new_double (loss_in));
  g_variant_builder_add (b, "{sv}", "rtt_ms", g_variant_new_double (rtt));
}

/**
 * rl_quality_compute:
 * @previous: (nullable): the sample before @now, for figures over the interval
 *
 * Returns: (transfer floating): the quality as an a{sv}, see docs/dbus-api.md.
 */
GVariant *
rl_quality_compute (const RlQualitySample *previous, const RlQualitySample *now)
{
  RlQualitySample zero = { .time_us = now->time_us };
  const RlQualitySample *p = previous && previous->rx_packets <= now->rx_packets ? previous : &zero;
  gint64 rx = now->rx_packets - p->rx_packets;
  gint64 rx_lost = now->rx_lost - p->rx_lost;
  gint64 tx = now->tx_packets - p->tx_packets;
  gint64 tx_lost = now->tx_lost - p->tx_lost;
  double loss_in = percent (rx_lost, rx + MAX (rx_lost, 0));
  double loss_out = percent (tx_lost, tx);
  double jitter = MAX (now->rx_jitter_us, now->tx_jitter_us) / 1000.0;
  double rtt = MAX (now->rtt_us, 0) / 1000.0;
  double seconds = (now->time_us - p->time_us) / (double) G_USEC_PER_SEC;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  add_verdict (&b, loss_in, loss_out, jitter, rtt);
  g_variant_builder_add (&b, "{sv}", "loss_out_percent", g_variant_new_double (loss_out));
  g_variant_builder_add (&b, "{sv}", "jitter_ms", g_variant_new_double (jitter));
  g_variant_builder_add (&b, "{sv}", "packets_sent", g_variant_new_int64 (now->tx_packets));
  g_variant_builder_add (&b, "{sv}", "packets_received", g_variant_new_int64 (now->rx_packets));
  g_variant_builder_add (&b, "{sv}", "packets_lost_in",
                         g_variant_new_int64 (MAX (now->rx_lost, 0)));
  g_variant_builder_add (&b, "{sv}", "packets_lost_out",
                         g_variant_new_int64 (MAX (now->tx_lost, 0)));
  if (p != &zero && seconds > 0)
    g_variant_builder_add (&b, "{sv}", "bitrate_kbps",
                           g_variant_new_double (rx * ESTIMATED_PACKET_BITS / seconds / 1000));
  return g_variant_builder_end (&b);
}

/* The whole number after @key in @text, or -1. */
static gint64
figure_after (const char *text, const char *key)
{
  const char *at = strstr (text, key);
  char *end;
  gint64 value;

  if (at == NULL)
    return -1;
  at += strlen (key);
  value = g_ascii_strtoll (at, &end, 10);
  return end == at || value < 0 ? -1 : value;
}

/* The member of the RTCP session that sends us RTP (the one with a "rcvd="
 * count); its block runs to the next member or to the TX line. */
static void
read_members (const char *session, const char *tx, RlQualityLive *live)
{
  const char *member = strstr (session, "member 0x");

  while (member && member < tx)
    {
      const char *next = strstr (member + 1, "member 0x");
      g_autofree char *block = g_strndup (member, (next && next < tx ? next : tx) - member);
      gint64 received = figure_after (block, "rcvd=");
      const char *rtt = strstr (block, "RTT=");

      if (received > live->rx_packets)
        {
          live->rx_packets = received;
          live->rtt_us = rtt ? (gint64) (MAX (g_ascii_strtod (rtt + 4, NULL), 0) * 1000) : 0;
        }
      member = next;
    }
}

/**
 * rl_quality_live_from_debug:
 * @text: the reply to baresip's "audio_debug"
 *
 * Reads the RTCP session's counters (libre's rtcp_debug) and the jitter
 * buffer's lost count when it keeps one.
 *
 * Returns: FALSE when @text has no RTCP session figures.
 */
gboolean
rl_quality_live_from_debug (const char *text, RlQualityLive *live)
{
  const char *session = text ? strstr (text, "RTCP Session") : NULL;
  const char *tx = session ? strstr (session, "TX: packets=") : NULL;
  const char *jitter_buffer, *stat;

  g_return_val_if_fail (live != NULL, FALSE);
  if (tx == NULL)
    return FALSE;
  *live = (RlQualityLive){ .time_us = g_get_monotonic_time (), .rx_lost = -1, .rx_seq = -1 };
  live->tx_packets = figure_after (tx, "packets=");
  live->tx_octets = figure_after (tx, "octets=");
  if (live->tx_packets < 0 || live->tx_octets < 0)
    return FALSE;
  read_members (session, tx, live);
  jitter_buffer = strstr (tx, "jitter buffer");
  if (jitter_buffer)
    live->rx_seq = figure_after (jitter_buffer, "seq_put=");
  stat = jitter_buffer ? strstr (jitter_buffer, "Stat:") : NULL;
  if (stat)
    live->rx_lost = figure_after (stat, " lost=");
  return TRUE;
}

/* The other party's packets lost between two readings: the jitter buffer's
 * own count when it keeps one, else the sequence numbers it took against
 * the packets that arrived (RTP numbers wrap at 2^16). */
static gboolean
incoming_loss (const RlQualityLive *previous, const RlQualityLive *now, double *percent_out)
{
  gint64 received = now->rx_packets - previous->rx_packets;
  gint64 lost = -1;

  if (now->rx_lost >= 0 && previous->rx_lost >= 0)
    lost = now->rx_lost - previous->rx_lost;
  else if (now->rx_seq >= 0 && previous->rx_seq >= 0)
    {
      guint16 expected = (guint16) (now->rx_seq - previous->rx_seq);

      /* More than half the number space in 2 s is a new stream, not loss. */
      if (expected < 0x8000)
        lost = MAX ((gint64) expected - received, 0);
    }
  if (received < 0 || lost < 0 || received + lost == 0)
    return FALSE;
  *percent_out = percent (lost, received + lost);
  return TRUE;
}

static double
lookup_double (GVariant *dict, const char *key)
{
  double value = 0;

  return g_variant_lookup (dict, key, "d", &value) ? value : 0;
}

static gboolean
is_refreshed_key (const char *key)
{
  static const char *const keys[] = { "label",
                                      "mos",
                                      "loss_percent",
                                      "loss_in_percent",
                                      "rtt_ms",
                                      "packets_sent",
                                      "packets_received",
                                      "bitrate_kbps",
                                      "bitrate_out_kbps",
                                      NULL };

  return g_strv_contains (keys, key);
}

/**
 * rl_quality_refresh:
 * @report: the figures of the last RTCP report (rl_quality_compute()), or an
 *   empty a{sv} before the first
 * @previous: (nullable): the counters read before @now
 *
 * Between RTCP reports (every 5 s or so) the counters still move: packets
 * and bitrates are read afresh, the incoming loss comes from the jitter
 * buffer over the interval since @previous, the RTT from the latest report;
 * the outgoing loss and the jitter stay as the last report gave them. The
 * label is computed again from those.
 *
 * Returns: (transfer floating): the quality as an a{sv}.
 */
GVariant *
rl_quality_refresh (GVariant *report, const RlQualityLive *previous, const RlQualityLive *now)
{
  double seconds = previous ? (now->time_us - previous->time_us) / (double) G_USEC_PER_SEC : 0;
  gboolean known = g_variant_lookup (report, "label", "&s", NULL);
  double loss_in = lookup_double (report, "loss_in_percent");
  double loss_out = lookup_double (report, "loss_out_percent");
  double rtt = now->rtt_us > 0 ? now->rtt_us / 1000.0 : lookup_double (report, "rtt_ms");
  GVariantBuilder b;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (previous && incoming_loss (previous, now, &loss_in))
    known = TRUE;
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, report);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    if (!is_refreshed_key (key))
      g_variant_builder_add (&b, "{sv}", key, value);
  if (known)
    add_verdict (&b, loss_in, loss_out, lookup_double (report, "jitter_ms"), rtt);
  g_variant_builder_add (&b, "{sv}", "packets_sent", g_variant_new_int64 (now->tx_packets));
  g_variant_builder_add (&b, "{sv}", "packets_received", g_variant_new_int64 (now->rx_packets));
  if (previous && seconds > 0)
    {
      gint64 sent = now->tx_packets - previous->tx_packets;
      /* Both directions use the codec negotiated: an incoming packet is
       * taken to be as large as ours on average. */
      double payload = now->tx_packets > 0 ? (double) now->tx_octets / now->tx_packets : 160;
      double in_bits = MAX (now->rx_packets - previous->rx_packets, 0) * (payload + 12) * 8;
      double out_bits = (MAX (now->tx_octets - previous->tx_octets, 0) + 12.0 * MAX (sent, 0)) * 8;

      g_variant_builder_add (&b, "{sv}", "bitrate_kbps",
                             g_variant_new_double (in_bits / seconds / 1000));
      g_variant_builder_add (&b, "{sv}", "bitrate_out_kbps",
                             g_variant_new_double (out_bits / seconds / 1000));
    }
  return g_variant_builder_end (&b);
}
