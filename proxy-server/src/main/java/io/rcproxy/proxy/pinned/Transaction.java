package io.rcproxy.proxy.pinned;

import io.netty.buffer.ByteBuf;
import io.rcproxy.cluster.internal.connection.NodeConnection;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.proxy.command.CommandFlag;
import io.rcproxy.proxy.command.CommandSpec;
import io.rcproxy.proxy.command.KeySlots;
import io.rcproxy.proxy.command.Routing;
import io.rcproxy.proxy.pinned.TransactionState.Idle;
import io.rcproxy.proxy.pinned.TransactionState.Pin;
import io.rcproxy.proxy.pinned.TransactionState.Pinned;
import io.rcproxy.proxy.pinned.TransactionState.Unpinned;
import io.rcproxy.proxy.pinned.TransactionState.Watching;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.ClientPort;
import io.rcproxy.proxy.reply.RedisErrors;
import io.rcproxy.proxy.reply.Replies;
import java.util.ArrayList;

/**
 * One client's MULTI/EXEC transaction and WATCHes, on a backend connection dedicated to the client.
 *
 * <p><b>Pinning.</b> The connection goes to the master owning the slot of the first key the transaction
 * names (a WATCHed key, or the first keyed command inside MULTI), and every later key must hash to that
 * same slot, as Redis Cluster itself requires inside MULTI; otherwise {@code -CROSSSLOT} and the
 * transaction is marked failed, so EXEC answers {@code -EXECABORT} (and a DISCARD goes to Redis). Until a
 * key decides the node, MULTI is answered {@code +OK} and keyless commands {@code +QUEUED} by the proxy,
 * which keeps them; once pinned it sends MULTI and those commands first, swallowing their replies. A
 * transaction with no key at all runs on any master at EXEC.
 *
 * <p><b>Replies.</b> Everything sent on the pinned connection is answered by Redis as it would be on a
 * single node ({@code +QUEUED}, errors, EXEC's array) and goes back in request order. MOVED and ASK are not
 * followed inside a transaction: the client sees them (and Redis then aborts the EXEC).
 *
 * <p><b>Release.</b> EXEC, DISCARD, and UNWATCH outside MULTI end the pin; the client's next requests wait
 * until the connection's last reply is in (see {@link PinnedState#hold()}). The connection then goes back to
 * the router's idle pool for the next transaction or blocking command, but only when that reply proves
 * Redis holds neither MULTI nor WATCH for it: EXEC answered with an array, a nil or {@code -EXECABORT};
 * DISCARD or UNWATCH with {@code +OK}. Any other answer, a redirect seen on the connection, or a RESET with
 * nothing to prove it (see {@link #reset()}) closes it instead, since its state is then unknown. A client
 * that leaves closes it at once (Redis discards the transaction). A lost connection fails the commands it
 * carried; the transaction is then marked failed.
 *
 * <p>Simplifications: LOCAL commands other than PING and ECHO (CLIENT, SELECT, HELLO...) are answered by the
 * proxy at once rather than queued; commands outside MULTI go through the shared connections even while
 * keys are WATCHed, so a client's own write to a watched key does not abort its transaction unless it
 * reaches Redis after the WATCH.
 *
 * <p>The state is a {@link TransactionState}, replaced (never edited) by the methods below; ended
 * transactions' connections are {@link TransactionEnding}s. Thread: the client's event loop. Ownership: a
 * request passes its frame to the connection it is sent on, is kept by {@link TransactionState.Unpinned}
 * until then, or ends its journey here with an answer.
 */
final class Transaction implements NodeConnection.Listener {

    private final ClientPort client;
    private final TransactionConnections connections;
    private TransactionState state = TransactionState.IDLE;

    Transaction(ClientPort client, PinnedState owner) {
        this.client = client;
        this.connections = new TransactionConnections(client, owner, this);
    }

    boolean inMulti() {
        return state instanceof Unpinned || state instanceof Pinned;
    }

    boolean isIdle() {
        return state instanceof Idle && connections.noneEnding();
    }

    /** The dedicated connection of the current state, or null. */
    private NodeConnection connection() {
        Pin pin = state.pin();
        return pin == null ? null : pin.connection();
    }

    /** MULTI, EXEC, DISCARD, WATCH, UNWATCH, WAIT when no MULTI is open (the state is Idle or Watching). */
    void routeOutsideMulti(CommandSpec spec, RedisRequest request) {
        if (!spec.acceptsArgCount(request.argCount())) {
            client.answerError(request, RedisErrors.wrongArity(spec));
            return;
        }
        PinnedCommand command = PinnedCommand.of(spec);
        NodeConnection connection = connection();
        if (command == PinnedCommand.MULTI) {
            client.transactionQueued(0);
            if (state instanceof Watching w) {
                state = new Pinned(w.pin(), 0, w.failed());
                client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
            } else {
                state = new Unpinned(state.slot(), 0, state.failed(), new ArrayList<>(0));
                client.answer(request, Replies.ok());
            }
        } else if (command == PinnedCommand.EXEC) {
            client.answerError(request, RedisErrors.EXEC_WITHOUT_MULTI);
        } else if (command == PinnedCommand.DISCARD) {
            client.answerError(request, RedisErrors.DISCARD_WITHOUT_MULTI);
        } else if (command == PinnedCommand.WATCH) {
            watch(spec, request);
        } else if (command == PinnedCommand.UNWATCH) {
            if (connection != null) {
                end(client.forwardOn(connection, request, ClusterCommand.ANY_SLOT));
            } else {
                state = new Idle(state.slot(), false);
                client.answer(request, Replies.ok());
            }
        } else if (command == PinnedCommand.WAIT) {
            if (connection != null) {
                client.forwardOn(connection, request, ClusterCommand.ANY_SLOT);
            } else {
                client.waitForReplicas(request); // the client's writes went over shared connections
            }
        } else {
            client.answerError(request, RedisErrors.unsupported(spec));
        }
    }

    private void watch(CommandSpec spec, RedisRequest request) {
        int keySlot = KeySlots.slotOf(spec, request);
        int slot = state.slot();
        if (keySlot == KeySlots.CROSS_SLOT || (keySlot >= 0 && slot >= 0 && keySlot != slot)) {
            client.answerError(request, RedisErrors.CROSSSLOT);
            return;
        }
        if (keySlot < 0) {
            client.answerError(request, RedisErrors.wrongArity(spec));
            return;
        }
        if (state instanceof Watching w) {
            state = new Watching(w.pin().withSlot(keySlot), w.failed());
        } else {
            NodeConnection connection = connections.open(keySlot, null);
            if (connection == null) {
                client.answerError(request, RedisErrors.SLOT_NOT_SERVED);
                return;
            }
            state = new Watching(new Pin(connection, keySlot, false), state.failed());
        }
        client.forwardOn(connection(), request, keySlot);
    }

    /**
     * Inside MULTI every known command comes here first (the handler answers unknown ones and calls
     * {@link #refused()}); false lets the handler route it as usual.
     */
    boolean routeInMulti(CommandSpec spec, RedisRequest request) {
        PinnedCommand command = PinnedCommand.of(spec);
        if (command.endsSession() || (command == PinnedCommand.OTHER && spec.routing() == Routing.LOCAL)) {
            return false;
        }
        if (command == PinnedCommand.EXEC) {
            exec(request);
        } else if (command == PinnedCommand.DISCARD) {
            discard(request);
        } else if (command == PinnedCommand.MULTI || command == PinnedCommand.WATCH) {
            // Redis itself answers a nested MULTI or WATCH with an error; before a pin the proxy does.
            if (state instanceof Pinned p) {
                client.forwardOn(p.pin().connection(), request, ClusterCommand.ANY_SLOT);
            } else {
                client.answerError(request, command == PinnedCommand.MULTI
                        ? RedisErrors.NESTED_MULTI : RedisErrors.WATCH_IN_MULTI);
            }
        } else if (command == PinnedCommand.PING || command == PinnedCommand.ECHO) {
            queue(request, KeySlots.NO_KEYS);
        } else if (spec.routing() == Routing.PUBSUB) {
            refuse(request, RedisErrors.notInTransaction(spec));
        } else if (spec.has(CommandFlag.NO_MULTI)) {
            refuse(request, RedisErrors.NOT_IN_MULTI); // Redis's check comes before the proxy's refusal
        } else if (spec.routing() == Routing.UNSUPPORTED) {
            refuse(request, RedisErrors.unsupported(spec));
        } else {
            int keySlot = KeySlots.slotOf(spec, request);
            if (keySlot == KeySlots.WRONG_ARITY) {
                refuse(request, RedisErrors.wrongArity(spec));
            } else if (keySlot == KeySlots.CROSS_SLOT) {
                refuse(request, RedisErrors.CROSSSLOT);
            } else {
                queue(request, keySlot);
            }
        }
        return true;
    }

    /** An error Redis would give when queuing: the transaction ends in {@code -EXECABORT}. */
    private void refuse(RedisRequest request, String message) {
        refused();
        client.answerError(request, message);
    }

    /**
     * EXEC refused (by the handler: a busy script, NOPERM) or after refusals while queuing: the transaction
     * is discarded and the client told why, in {@code error}.
     */
    void abortExec(RedisRequest request, String error) {
        ClusterCommand discard = null;
        if (state instanceof Pinned p) {
            discard = SwallowedReply.discard();
            p.pin().connection().send(discard);
        }
        client.answerError(request, error);
        end(discard);
    }

    /** A command refused while queuing, here or by the handler: EXEC will abort. */
    void refused() {
        state = state.fail();
    }

    private void queue(RedisRequest request, int keySlot) {
        int slot = state.slot();
        if (keySlot >= 0 && slot >= 0 && keySlot != slot) {
            refuse(request, RedisErrors.CROSSSLOT);
            return;
        }
        if (state instanceof Pinned p) {
            state = new Pinned(p.pin().withSlot(keySlot), p.queued() + 1, p.failed());
            client.transactionQueued(p.queued() + 1);
            client.forwardOn(p.pin().connection(), request, keySlot);
            return;
        }
        Unpinned u = (Unpinned) state;
        client.transactionQueued(u.queued() + 1);
        if (keySlot < 0) {
            state = new Unpinned(u.slot(), u.queued() + 1, u.failed(), u.held());
            u.held().add(request); // owned here until the transaction is pinned or dropped
            client.push(Replies.simple(client.alloc(), "QUEUED"));
            return;
        }
        NodeConnection connection = connections.open(keySlot, u);
        if (connection == null) {
            state = new Unpinned(u.slot(), u.queued() + 1, true, u.held());
            client.answerError(request, RedisErrors.SLOT_NOT_SERVED);
            return;
        }
        state = new Pinned(new Pin(connection, keySlot, false), u.queued() + 1, u.failed());
        client.forwardOn(connection, request, keySlot);
    }

    private void exec(RedisRequest request) {
        if (state.failed()) {
            abortExec(request, RedisErrors.EXECABORT);
            return;
        }
        if (state instanceof Unpinned u) {
            if (u.held().isEmpty()) {
                ByteBuf empty = client.alloc().buffer(4);
                Replies.arrayHeader(empty, 0);
                client.answer(request, empty);
                end(null);
                return;
            }
            NodeConnection connection = connections.open(-1, u);
            if (connection == null) {
                client.answerError(request, RedisErrors.CLUSTER_DOWN);
                end(null);
                return;
            }
            state = new Pinned(new Pin(connection, -1, false), u.queued(), false);
        }
        end(client.forwardOn(connection(), request, ClusterCommand.ANY_SLOT));
    }

    private void discard(RedisRequest request) {
        if (state instanceof Pinned p) {
            end(client.forwardOn(p.pin().connection(), request, ClusterCommand.ANY_SLOT));
        } else {
            client.answer(request, Replies.ok());
            end(null);
        }
    }

    /**
     * The transaction and its WATCHes are over. The connection is released or closed once its replies are
     * in, by what {@code last} (the EXEC, DISCARD or UNWATCH just sent on it; null for none) answers.
     */
    private void end(ClusterCommand last) {
        Pin pin = state.pin();
        dropHeld();
        state = TransactionState.IDLE;
        client.transactionQueued(-1);
        if (pin != null) {
            connections.ended(pin, last);
        }
    }

    /** RESET: as DISCARD (inside MULTI) or UNWATCH (outside), without a reply of its own. */
    void reset() {
        ClusterCommand last = null;
        NodeConnection connection = connection();
        if (connection != null) {
            last = inMulti() ? SwallowedReply.discard() : SwallowedReply.unwatch();
            connection.send(last);
        }
        end(last);
    }

    /** The client is gone. */
    void abort() {
        dropHeld();
        NodeConnection connection = connection();
        state = TransactionState.IDLE;
        if (connection != null) {
            connection.close("client disconnected");
        }
        connections.closeAll();
    }

    private void dropHeld() {
        if (state instanceof Unpinned u) {
            u.held().forEach(RedisRequest::release);
            u.held().clear();
        }
    }

    @Override
    public void onReply(NodeConnection from, ClusterCommand command, ByteBuf reply) {
        // Looked at before complete(), which passes the reply on.
        boolean redirect = RedirectKind.of(reply) != RedirectKind.NONE;
        if (from == connection()) {
            if (redirect) {
                state = state.taint();
            }
            command.complete(reply);
            return;
        }
        connections.onEndingReply(from, command, reply, redirect);
    }

    @Override
    public void onConnectionLost(NodeConnection lost, Throwable cause) {
        // Its commands have failed with an error each; what the client does next must not run unpinned.
        connections.lost(lost);
        if (lost != connection()) {
            return;
        }
        state = state.lost(); // a later keyed command pins a new connection, which is sent MULTI again first
    }
}
