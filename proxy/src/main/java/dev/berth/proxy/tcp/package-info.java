/**
 * The raw TCP (L4) data plane: one listener per LoadBalancer Service port annotated {@code berth.dev/proxy: tcp},
 * relaying bytes to the Service's endpoints through buffers (or with {@code splice(2)} on epoll, when asked), optionally
 * behind PROXY protocol headers.
 * It shares the config records and balancers with the HTTP plane and nothing else.
 */
package dev.berth.proxy.tcp;
