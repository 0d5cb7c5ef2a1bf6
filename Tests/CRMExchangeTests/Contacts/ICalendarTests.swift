import CRMExchange
import Foundation
import Testing

private let moscow = TimeZone(identifier: "Europe/Moscow")!
private let berlin = TimeZone(identifier: "Europe/Berlin")!
private let newYork = TimeZone(identifier: "America/New_York")!
private let utc = TimeZone(identifier: "UTC")!

/// A fixed instant given as local wall time in `zone`.
private func at(
  _ zone: TimeZone, _ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0
) -> Date {
  var cal = Calendar(identifier: .gregorian)
  cal.timeZone = zone
  return cal.date(
    from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))!
}

private let stamp = at(utc, 2026, 11, 23, 10, 15)

private func moscowEvents() -> [ICSEvent] {
  let call = at(moscow, 2026, 11, 24, 11, 30)
  let meeting = at(moscow, 2026, 11, 26, 15, 0)
  let weekly = at(moscow, 2026, 12, 1, 10, 0)
  return [
    ICSEvent(
      uid: "contact-42-3f9a1c@termcrm", start: call, end: call.addingTimeInterval(30 * 60),
      summary: "Звонок: ООО «Ромашка» — обсудить договор поставки на 2027 год и скидку",
      description: "Уточнить объём, сроки; скидку 5%.\nСчёт № 117\\2026 — проверить до звонка",
      categories: ["Звонок"], alarm: call.addingTimeInterval(-15 * 60),
      created: at(utc, 2026, 11, 20, 8, 0), lastModified: at(utc, 2026, 11, 22, 9, 30, 5),
      sequence: 2),
    ICSEvent(
      uid: "contact-43-77be01@termcrm", start: meeting, end: meeting.addingTimeInterval(90 * 60),
      summary: "Встреча: АО «Вектор»", location: "Москва, ул. Тверская, д. 1; офис 5",
      categories: ["Встреча", "VIP"], created: at(utc, 2026, 11, 21, 12, 0),
      lastModified: at(utc, 2026, 11, 21, 12, 0)),
    ICSEvent(
      uid: "contact-44-0c1d2e@termcrm", start: weekly, end: weekly,
      summary: "Звонок: ИП Семёнов", description: "Регулярная сверка остатков",
      categories: ["Звонок"], alarm: weekly.addingTimeInterval(-60 * 60),
      created: at(utc, 2026, 11, 1, 7, 0), lastModified: at(utc, 2026, 11, 2, 7, 0),
      sequence: 1, rrule: "FREQ=WEEKLY;INTERVAL=2"),
  ]
}

private func berlinEvents() -> [ICSEvent] {
  let winter = at(berlin, 2026, 3, 26, 10, 0)
  let summer = at(berlin, 2026, 3, 30, 10, 0)
  return [
    ICSEvent(
      uid: "contact-7-aa01@termcrm", start: winter, end: winter.addingTimeInterval(3600),
      summary: "Встреча: Müller GmbH", location: "Berlin, Friedrichstraße 10",
      created: at(utc, 2026, 3, 1, 9, 0), lastModified: at(utc, 2026, 3, 1, 9, 0)),
    ICSEvent(
      uid: "contact-8-bb02@termcrm", start: summer, end: summer.addingTimeInterval(1800),
      summary: "Звонок: Schmidt AG", categories: ["Звонок"],
      alarm: summer.addingTimeInterval(-10 * 60), created: at(utc, 2026, 3, 1, 9, 0),
      lastModified: at(utc, 2026, 3, 2, 9, 0), sequence: 1),
  ]
}

private func utcEvents() -> [ICSEvent] {
  let start = at(utc, 2026, 12, 3, 9, 0)
  return [
    ICSEvent(
      uid: "contact-9-cc03@termcrm", start: start, end: start.addingTimeInterval(45 * 60),
      summary: "Звонок: Acme Ltd, London", description: "Первая строка\nВторая строка",
      categories: ["Звонок", "Export"], alarm: start.addingTimeInterval(-5 * 60),
      created: at(utc, 2026, 11, 20, 16, 0), lastModified: at(utc, 2026, 11, 21, 16, 0))
  ]
}

/// Physical lines split on CRLF; fails the test on a bare CR or LF.
private func physicalLines(_ text: String) -> [[UInt8]] {
  let bytes = Array(text.utf8)
  var lines: [[UInt8]] = []
  var current: [UInt8] = []
  var i = 0
  while i < bytes.count {
    if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 {
      lines.append(current)
      current = []
      i += 2
      continue
    }
    #expect(bytes[i] != 10 && bytes[i] != 13, "bare CR or LF at byte \(i)")
    current.append(bytes[i])
    i += 1
  }
  #expect(current.isEmpty, "text does not end with CRLF")
  return lines
}

private func parseError(_ text: String) -> ICalendarError? {
  do {
    _ = try ICalendar.parse(text)
    return nil
  } catch {
    return error
  }
}

@Suite struct ICalendarTests {
  private func checkGolden(_ name: String, _ text: String) throws {
    let url = goldenFolder.appendingPathComponent(name)
    let expected = try? Data(contentsOf: url)
    let actual = Data(text.utf8)
    if actual != expected {
      let out = FileManager.default.temporaryDirectory.appendingPathComponent("actual-" + name)
      try actual.write(to: out)
      Issue.record("\(name) differs from the golden file; actual output written to \(out.path)")
    }
  }

  @Test func moscowCalendarMatchesGoldenFile() throws {
    let text = ICalendar.write(
      moscowEvents(), calendarName: "TermCRM: контакты", timeZone: moscow, stamp: stamp)
    try checkGolden("moscow.ics", text)
  }

  @Test func berlinCalendarAcrossDSTMatchesGoldenFile() throws {
    let text = ICalendar.write(
      berlinEvents(), calendarName: "TermCRM", timeZone: berlin, stamp: stamp)
    try checkGolden("berlin.ics", text)
  }

  @Test func utcCalendarMatchesGoldenFile() throws {
    let text = ICalendar.write(utcEvents(), calendarName: "TermCRM", timeZone: utc, stamp: stamp)
    try checkGolden("utc.ics", text)
    #expect(!text.contains("BEGIN:VTIMEZONE"))
    #expect(text.contains("DTSTART:20261203T090000Z\r\n"))
  }

  @Test func everyLineIsCRLFAndAtMost75Octets() {
    for (events, zone) in [(moscowEvents(), moscow), (berlinEvents(), berlin), (utcEvents(), utc)] {
      let text = ICalendar.write(events, calendarName: "Календарь", timeZone: zone, stamp: stamp)
      for line in physicalLines(text) {
        #expect(line.count <= 75, "\(line.count) octets: \(String(decoding: line, as: UTF8.self))")
      }
    }
  }

  @Test func foldingNeverSplitsAUTF8Sequence() throws {
    let value = String(repeating: "Ж", count: 200) + "😀👩‍💻" + String(repeating: "я", count: 5)
    let folded = ICalendar.fold("SUMMARY:" + value)
    let lines = physicalLines(folded + "\r\n")
    #expect(lines.count > 5)
    for line in lines {
      #expect(line.count <= 75)
      #expect(String(validating: line, as: UTF8.self) != nil, "line is not valid UTF-8 on its own")
    }
    // "SUMMARY:" is 8 octets and each letter 2: a 75th octet would cut a letter in half.
    #expect(lines[0].count == 74)
    #expect(lines[1].count == 75)
    #expect(lines.dropFirst().allSatisfy { $0.first == 0x20 })
    let unfolded = lines.enumerated().map { index, line in
      String(decoding: index == 0 ? line[...] : line.dropFirst(), as: UTF8.self)
    }.joined()
    #expect(unfolded == "SUMMARY:" + value)
    #expect(ICalendar.fold("SUMMARY:short") == "SUMMARY:short")
  }

  @Test func textEscapingCoversBackslashSemicolonCommaAndNewline() {
    #expect(ICalendar.escapeText("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf")
    #expect(ICalendar.unescapeText("a\\\\b\\;c\\,d\\ne\\Nf") == "a\\b;c,d\ne\nf")
    #expect(ICalendar.escapeText("bell\u{7}tab\t") == "belltab\t")
  }

  @Test func writtenEventsParseBackToTheSameValues() throws {
    for (events, zone) in [(moscowEvents(), moscow), (berlinEvents(), berlin), (utcEvents(), utc)] {
      let text = ICalendar.write(
        events, calendarName: "TermCRM: звонки, встречи", timeZone: zone, stamp: stamp)
      let calendar = try ICalendar.parse(text)
      #expect(calendar.name == "VCALENDAR")
      #expect(calendar.first("X-WR-CALNAME")?.value == "TermCRM: звонки, встречи")
      #expect(calendar.first("version")?.value == "2.0")
      let parsed = calendar.all("VEVENT")
      #expect(parsed.count == events.count)
      for (event, component) in zip(events, parsed) {
        #expect(component.first("UID")?.value == event.uid)
        #expect(component.first("SUMMARY")?.value == event.summary)
        #expect((component.first("DESCRIPTION")?.value ?? "") == event.description)
        #expect((component.first("LOCATION")?.value ?? "") == event.location)
        #expect((component.first("CATEGORIES")?.textList ?? []) == event.categories)
        #expect(component.first("RRULE")?.value == event.rrule)
        #expect(component.first("SEQUENCE")?.value == String(event.sequence))
        let dtstart = try #require(component.first("DTSTART"))
        #expect(dtstart.parameters["TZID"] == (zone == utc ? nil : zone.identifier))
        #expect(ICalendar.date(dtstart) == event.start)
        let end = try #require(component.first("DTEND").flatMap { ICalendar.date($0) })
        #expect(end > event.start)
        if event.end > event.start { #expect(end == event.end) }
        #expect(component.first("DTSTAMP").flatMap { ICalendar.date($0) } == stamp)
        #expect(component.first("CREATED").flatMap { ICalendar.date($0) } == event.created)
        #expect(
          component.first("LAST-MODIFIED").flatMap { ICalendar.date($0) } == event.lastModified)
        let alarms = component.all("VALARM")
        #expect(alarms.count == (event.alarm == nil ? 0 : 1))
        if let alarm = event.alarm, let valarm = alarms.first {
          #expect(valarm.first("ACTION")?.value == "DISPLAY")
          #expect(valarm.first("DESCRIPTION")?.value == event.summary)
          let trigger = try #require(valarm.first("TRIGGER"))
          #expect(ICalendar.duration(trigger.value) == alarm.timeIntervalSince(event.start))
        }
      }
    }
  }

  @Test func endNotAfterStartGetsTheFallbackDuration() throws {
    let start = at(moscow, 2026, 12, 1, 10, 0)
    for end in [start, start.addingTimeInterval(-3600)] {
      let event = ICSEvent(
        uid: "u@termcrm", start: start, end: end, summary: "Звонок", created: start,
        lastModified: start)
      let text = ICalendar.write([event], calendarName: "c", timeZone: moscow, stamp: stamp)
      #expect(text.contains("DTSTART;TZID=Europe/Moscow:20261201T100000\r\n"))
      #expect(text.contains("DTEND;TZID=Europe/Moscow:20261201T101500\r\n"))
    }
  }

  @Test func berlinTimeZoneHasBothOffsetsAndThe2026Transitions() throws {
    let start = at(berlin, 2026, 6, 1, 10, 0)
    let event = ICSEvent(
      uid: "u@termcrm", start: start, end: start.addingTimeInterval(3600), summary: "Встреча",
      created: start, lastModified: start)
    let text = ICalendar.write([event], calendarName: "c", timeZone: berlin, stamp: stamp)
    let calendar = try ICalendar.parse(text)
    let zone = try #require(calendar.all("VTIMEZONE").first)
    #expect(calendar.all("VTIMEZONE").count == 1)
    #expect(zone.first("TZID")?.value == "Europe/Berlin")
    let daylight = zone.all("DAYLIGHT").map(observance)
    let standard = zone.all("STANDARD").map(observance)
    #expect(daylight.contains(["20260329T020000", "+0100", "+0200"]))
    #expect(standard.contains(["20261025T030000", "+0200", "+0100"]))
    // The observance in force on 1 January comes from the change in October 2025.
    #expect(standard.first == ["20251026T030000", "+0200", "+0100"])
    #expect(daylight.count == 1)
    #expect(standard.count == 2)
  }

  @Test func newYorkTimeZoneFollowsUSRules() throws {
    let start = at(newYork, 2026, 7, 4, 12, 0)
    let event = ICSEvent(
      uid: "u@termcrm", start: start, end: start.addingTimeInterval(3600), summary: "Call",
      created: start, lastModified: start)
    let text = ICalendar.write([event], calendarName: "c", timeZone: newYork, stamp: stamp)
    let zone = try #require(try ICalendar.parse(text).all("VTIMEZONE").first)
    #expect(zone.all("DAYLIGHT").map(observance) == [["20260308T020000", "-0500", "-0400"]])
    #expect(zone.all("STANDARD").map(observance).last == ["20261101T020000", "-0400", "-0500"])
    #expect(text.contains("DTSTART;TZID=America/New_York:20260704T120000\r\n"))
  }

  @Test func moscowTimeZoneIsOneStandardObservance() throws {
    let text = ICalendar.write(
      moscowEvents(), calendarName: "c", timeZone: moscow, stamp: stamp)
    let zone = try #require(try ICalendar.parse(text).all("VTIMEZONE").first)
    #expect(zone.components.count == 1)
    let standard = try #require(zone.all("STANDARD").first)
    #expect(standard.first("TZOFFSETFROM")?.value == "+0300")
    #expect(standard.first("TZOFFSETTO")?.value == "+0300")
  }

  @Test func recurringEventsWidenTheTimeZoneRange() throws {
    let start = at(berlin, 2026, 6, 1, 10, 0)
    func changes(_ rule: String?) throws -> Int {
      let event = ICSEvent(
        uid: "u@termcrm", start: start, end: start.addingTimeInterval(3600), summary: "x",
        created: start, lastModified: start, rrule: rule)
      let text = ICalendar.write([event], calendarName: "c", timeZone: berlin, stamp: stamp)
      let zone = try #require(try ICalendar.parse(text).all("VTIMEZONE").first)
      return zone.components.count - 1  // minus the observance in force on 1 January
    }
    #expect(try changes(nil) == 2)
    #expect(try changes("FREQ=WEEKLY;UNTIL=20270601T000000Z") == 4)
    #expect(try changes("FREQ=MONTHLY") == 2 * (ICalendar.recurrenceHorizonYears + 1))
    #expect(try changes("FREQ=YEARLY;UNTIL=29991231T000000Z") == 22)
  }

  @Test func anEmptyExportStillHasAComponentUnlessItIsUTC() throws {
    let local = try ICalendar.parse(
      ICalendar.write([], calendarName: "c", timeZone: moscow, stamp: stamp))
    #expect(local.all("VEVENT").isEmpty)
    #expect(local.all("VTIMEZONE").count == 1)
    let plain = try ICalendar.parse(
      ICalendar.write([], calendarName: "c", timeZone: utc, stamp: stamp))
    #expect(plain.components.isEmpty)
    #expect(plain.first("X-WR-TIMEZONE")?.value == "UTC")
  }

  @Test func datesParseFromUTCLocalAndDateValues() {
    let tzid = ["TZID": "Europe/Berlin"]
    #expect(
      ICalendar.date(ICSProperty(name: "DTSTART", value: "20261123T101500Z"))
        == at(utc, 2026, 11, 23, 10, 15))
    #expect(
      ICalendar.date(ICSProperty(name: "DTSTART", parameters: tzid, value: "20260330T100000"))
        == at(berlin, 2026, 3, 30, 10, 0))
    #expect(
      ICalendar.date(ICSProperty(name: "DTSTART", value: "20261123"), floatingTimeZone: moscow)
        == at(moscow, 2026, 11, 23, 0, 0))
    #expect(ICalendar.date(ICSProperty(name: "DTSTART", value: "20261323T101500Z")) == nil)
    #expect(ICalendar.date(ICSProperty(name: "DTSTART", value: "2026112T3101500Z")) == nil)
    let unknown = ["TZID": "Mars/Olympus"]
    #expect(
      ICalendar.date(ICSProperty(name: "DTSTART", parameters: unknown, value: "20261123T101500"))
        == nil)
  }

  @Test func durationsUseRFC5545Syntax() {
    #expect(ICalendar.durationString(-15 * 60) == "-PT15M")
    #expect(ICalendar.durationString(0) == "PT0S")
    #expect(ICalendar.durationString(3600 + 5) == "PT1H0M5S")
    #expect(ICalendar.durationString(86_400 + 2 * 3600) == "P1DT2H")
    #expect(ICalendar.duration("-PT15M") == -900)
    #expect(ICalendar.duration("P1DT2H") == 93_600)
    #expect(ICalendar.duration("P2W") == 1_209_600)
    #expect(ICalendar.duration("PT") == nil)
    #expect(ICalendar.duration("15M") == nil)
  }

  @Test func parseUnfoldsAndReadsParameters() throws {
    let text =
      "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY;LANGUAGE=ru:Зво\r\n нок\\, важный\r\n"
      + "ATTENDEE;CN=\"Петров; П.\";ROLE=CHAIR:mailto:p@example.com\r\n"
      + "END:VEVENT\r\nEND:VCALENDAR\r\n"
    let event = try #require(try ICalendar.parse(text).all("vevent").first)
    #expect(event.first("SUMMARY")?.value == "Звонок, важный")
    #expect(event.first("SUMMARY")?.parameters == ["LANGUAGE": "ru"])
    let attendee = try #require(event.first("ATTENDEE"))
    #expect(attendee.parameters == ["CN": "Петров; П.", "ROLE": "CHAIR"])
    #expect(attendee.value == "mailto:p@example.com")
  }

  @Test func malformedInputNamesTheLine() throws {
    let missingEnd = try #require(
      parseError("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nEND:VEVENT\r\n"))
    #expect(missingEnd.line == 1)
    #expect(missingEnd.message.contains("VCALENDAR"))

    let mismatched = try #require(
      parseError("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nEND:VCALENDAR\r\n"))
    #expect(mismatched.line == 4)
    #expect(mismatched.message.contains("VEVENT"))

    let endWithoutBegin = try #require(
      parseError("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nEND:VEVENT\r\n"))
    #expect(endWithoutBegin.line == 3)
    #expect(endWithoutBegin.message.contains("without BEGIN"))

    let noColon = try #require(
      parseError("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY Звонок\r\nEND:VCALENDAR\r\n"))
    #expect(noColon.line == 3)
    #expect(noColon.message.contains(":"))

    let leadingContinuation = try #require(
      parseError(" VERSION:2.0\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
    #expect(leadingContinuation.line == 1)
    #expect(leadingContinuation.message.contains("continuation"))

    let outside = try #require(parseError("VERSION:2.0\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
    #expect(outside.line == 1)

    // Lines are counted physically: an error after a folded line names the right one.
    let afterFold = try #require(
      parseError("BEGIN:VCALENDAR\r\nSUMMARY:a\r\n b\r\nBROKEN\r\nEND:VCALENDAR\r\n"))
    #expect(afterFold.line == 4)
  }
}

private func observance(_ c: ICSComponent) -> [String] {
  [
    c.first("DTSTART")?.value ?? "", c.first("TZOFFSETFROM")?.value ?? "",
    c.first("TZOFFSETTO")?.value ?? "",
  ]
}
