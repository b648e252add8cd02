package io.rcproxy.proxy.reply;

/**
 * Why a client's reads are paused. Reading resumes only once every reason has cleared, so each cause
 * (see {@link ClientPort#pause}) can come and go without knowing about the others.
 */
public enum PauseReason {
    /** Too many replies outstanding ({@code proxy.limits.max-pending-per-client}). */
    PENDING,
    /** The client is not reading its replies: its channel is unwritable. */
    CLIENT_UNWRITABLE,
    /** A backend connection the client used is unwritable. */
    BACKEND_UNWRITABLE,
    /** An ended transaction's last replies are awaited before the next request may run. */
    PINNED,
    /** The decoder set undecoded bytes aside so the event loop can serve other clients first. */
    DECODER_BEHIND,
    /** CLIENT PAUSE holds the client's requests until the pause ends. */
    CLIENT_PAUSED
}
