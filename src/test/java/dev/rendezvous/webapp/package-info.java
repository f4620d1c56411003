/** The demo web app proven in real headless Chromium: calls connect, video flows, chat and rooms behave. */
package dev.rendezvous.webapp;
