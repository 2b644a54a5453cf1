import fc from "fast-check";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ClientSessionCard, ClientSessionList, clientSessionCardHtml } from "~/components/client-session-card";

// The timetable's cards are written as a string on the server and rendered by React in the browser, which
// hydrates that string: the two must be the same markup, or React throws the page's markup away.
const awkward = fc.string({ unit: fc.constantFrom("a", "Z", " ", "&", "<", ">", '"', "'", "é", "·", "–", "?", "=", "/") });
const card = fc.record({
  id: fc.integer({ min: 1, max: 1_000_000 }),
  title: fc.oneof(fc.constantFrom("HIIT", "CORE"), awkward),
  color: fc.oneof(fc.constantFrom("#dc2626", "#0d9488", ""), awkward),
  coachName: fc.oneof(fc.constant("Gav Cunningham"), awkward),
  date: fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  startLabel: fc.constantFrom("06:30", "18:05"),
  endLabel: fc.constantFrom("06:55", "18:30"),
  capacity: fc.integer({ min: 1, max: 20 }),
  registered: fc.integer({ min: 0, max: 20 }),
  waitlisted: fc.integer({ min: 0, max: 5 }),
  status: fc.constantFrom("SCHEDULED" as const, "CANCELLED" as const, "COMPLETED" as const),
  mine: fc.option(
    fc.record({
      status: fc.constantFrom("REGISTERED", "WAITLISTED", "LATE_CANCELLED", "ATTENDED", "NO_SHOW", "SOMETHING_NEW"),
      position: fc.option(fc.integer({ min: 1, max: 40 })),
    }),
  ),
  closedReason: fc.option(fc.oneof(fc.constantFrom("Booking opens Mon 7 Dec 2026 at 06:30", "This session has started", "Booking has closed"), awkward)),
  lateCancel: fc.boolean(),
});
const redirectTo = fc.oneof(fc.constantFrom("/client/sessions", "/client/sessions?date=2026-12-01&classType=2"), awkward);

describe("a client's session card as a string", () => {
  it("is byte for byte the markup React writes, in every state and with any text", () => {
    fc.assert(
      fc.property(card, redirectTo, fc.boolean(), (session, to, withDay) => {
        expect(clientSessionCardHtml(session, to, withDay)).toBe(renderToString(createElement(ClientSessionCard, { session, redirectTo: to, withDay })));
      }),
      { numRuns: 2000 },
    );
  });

  it("makes the server's list the same as React's list of cards", () => {
    fc.assert(
      fc.property(fc.array(card, { maxLength: 8 }), redirectTo, (sessions, to) => {
        const cards = sessions.map((session) => createElement(ClientSessionCard, { key: session.id, session, redirectTo: to }));
        expect(renderToString(createElement(ClientSessionList, { sessions, redirectTo: to }))).toBe(
          renderToString(createElement("ul", { className: "space-y-2" }, cards)),
        );
      }),
    );
  });
});
