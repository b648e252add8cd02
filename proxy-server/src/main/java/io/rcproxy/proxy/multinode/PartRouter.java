package io.rcproxy.proxy.multinode;

import io.rcproxy.cluster.internal.dispatch.LoopRouter;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.topology.ClusterNode;
import io.rcproxy.cluster.topology.SlotMap;

/**
 * Where a multi-node request's parts go: the client's {@link LoopRouter} in the proxy, a recorder in tests.
 * The few things a split request asks of the cluster, and nothing else.
 *
 * <p>Thread: the client's event loop.
 */
interface PartRouter {

    /** Routes {@code part} by its slot with its affinity; it follows MOVED/ASK with its own budget. */
    void dispatch(ClusterCommand part);

    /** Sends {@code part} to {@code node} as it is, no redirect followed. */
    void sendTo(ClusterNode node, ClusterCommand part);

    /** As {@link #sendTo}, on a connection of its own (see {@link AlonePart}). */
    default void sendAlone(ClusterNode node, ClusterCommand part) {
        sendTo(node, part);
    }

    /** The slot map now. */
    SlotMap slotMap();

    /** Asks for a topology refresh (coalesced and rate-limited by the topology). */
    void requestRefresh();

    /** {@code router} with each part marked to travel on RESP3 connections (see ClusterCommand#resp3). */
    static PartRouter resp3(PartRouter router) {
        return new PartRouter() {
            @Override
            public void dispatch(ClusterCommand part) {
                router.dispatch(part.resp3(true));
            }

            @Override
            public void sendTo(ClusterNode node, ClusterCommand part) {
                router.sendTo(node, part.resp3(true));
            }

            @Override
            public SlotMap slotMap() {
                return router.slotMap();
            }

            @Override
            public void requestRefresh() {
                router.requestRefresh();
            }
        };
    }

    /** {@code router} seen as a part router. */
    static PartRouter of(LoopRouter router) {
        return new PartRouter() {
            @Override
            public void dispatch(ClusterCommand part) {
                router.dispatch(part);
            }

            @Override
            public void sendTo(ClusterNode node, ClusterCommand part) {
                router.sendTo(node, part);
            }

            @Override
            public void sendAlone(ClusterNode node, ClusterCommand part) {
                AlonePart.send(router, node, part);
            }

            @Override
            public SlotMap slotMap() {
                return router.topology().slotMap();
            }

            @Override
            public void requestRefresh() {
                router.topology().requestRefresh();
            }
        };
    }
}
