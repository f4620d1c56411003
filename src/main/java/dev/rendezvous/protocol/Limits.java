package dev.rendezvous.protocol;

/** The limits a client must respect, as {@code welcome} announces them. */
public record Limits(int maxMessageBytes, int messagesPerSecond, int burst, int roomCapacity) {
}
