import Foundation

/// One calendar event (a planned call, meeting…) as it goes into an iCalendar file.
///
/// Times are absolute instants; `ICalendar.write` renders them in the calendar's time zone.
/// Sub-second parts are dropped (iCalendar has whole seconds only).
public struct ICSEvent: Sendable, Equatable {
  /// Stable per contact, e.g. `contact-42-3f9a…@termcrm`; calendar programs match updates by it.
  public var uid: String
  public var start: Date
  /// When `end` is not after `start`, the event is written with
  /// `DTEND = start + ICalendar.fallbackDuration` (RFC 5545 requires DTEND > DTSTART).
  public var end: Date
  public var summary: String
  /// Free text; newlines are kept (written as `\n`). Omitted when empty.
  public var description: String
  /// Omitted when empty.
  public var location: String
  /// Omitted when empty; empty strings in the list are skipped.
  public var categories: [String]
  /// Remind-at: written as a VALARM whose TRIGGER is relative to the start (`-PT15M`).
  public var alarm: Date?
  public var created: Date
  public var lastModified: Date
  /// Bumps when a contact is rescheduled, so importers replace the older copy.
  public var sequence: Int
  /// An RFC 5545 RECUR value without the `RRULE:` prefix, e.g. `FREQ=WEEKLY;INTERVAL=2`.
  /// Written as given (line breaks removed); omitted when nil or empty.
  public var rrule: String?

  public init(
    uid: String, start: Date, end: Date, summary: String, description: String = "",
    location: String = "", categories: [String] = [], alarm: Date? = nil, created: Date,
    lastModified: Date, sequence: Int = 0, rrule: String? = nil
  ) {
    self.uid = uid
    self.start = start
    self.end = end
    self.summary = summary
    self.description = description
    self.location = location
    self.categories = categories
    self.alarm = alarm
    self.created = created
    self.lastModified = lastModified
    self.sequence = sequence
    self.rrule = rrule
  }
}

/// One content line: `NAME;PARAM=VALUE:VALUE`. Names and parameter names are upper-cased.
public struct ICSProperty: Sendable, Equatable {
  public var name: String
  /// Parameter values without surrounding quotes; a multi-valued parameter keeps its commas.
  public var parameters: [String: String]
  /// For single TEXT properties (SUMMARY, DESCRIPTION, LOCATION, UID, TZNAME, X-WR-CALNAME…)
  /// the unescaped text; for every other property (including the list-valued CATEGORIES and
  /// RESOURCES, see `textList`) the value exactly as written.
  public var value: String

  public init(name: String, parameters: [String: String] = [:], value: String) {
    self.name = name
    self.parameters = parameters
    self.value = value
  }

  /// The items of a list-valued TEXT property such as CATEGORIES: split on unescaped commas,
  /// each unescaped.
  public var textList: [String] {
    var items: [String] = []
    var current = ""
    var escaped = false
    for ch in value.unicodeScalars {
      if escaped {
        current.unicodeScalars.append("\\")
        current.unicodeScalars.append(ch)
        escaped = false
      } else if ch == "\\" {
        escaped = true
      } else if ch == "," {
        items.append(ICalendar.unescapeText(current))
        current = ""
      } else {
        current.unicodeScalars.append(ch)
      }
    }
    if escaped { current.append("\\") }
    items.append(ICalendar.unescapeText(current))
    return items
  }
}

/// A `BEGIN:NAME` … `END:NAME` block with its properties and nested blocks, in file order.
public struct ICSComponent: Sendable, Equatable {
  public var name: String
  public var properties: [ICSProperty]
  public var components: [ICSComponent]

  public init(name: String, properties: [ICSProperty] = [], components: [ICSComponent] = []) {
    self.name = name
    self.properties = properties
    self.components = components
  }

  /// The first property with this name (case-insensitive).
  public func first(_ name: String) -> ICSProperty? {
    let key = name.uppercased()
    return properties.first { $0.name == key }
  }

  /// Direct sub-components with this name (case-insensitive), e.g. `all("VEVENT")`.
  public func all(_ name: String) -> [ICSComponent] {
    let key = name.uppercased()
    return components.filter { $0.name == key }
  }
}

/// Malformed iCalendar text; `line` is the 1-based physical line where the problem starts.
public struct ICalendarError: Error, Equatable, Sendable, CustomStringConvertible {
  public var line: Int
  public var message: String

  public init(line: Int, message: String) {
    self.line = line
    self.message = message
  }

  public var description: String { "line \(line): \(message)" }
}

/// RFC 5545 writer and reader.
///
/// Writing: CRLF after every line, lines folded at 75 UTF-8 octets on character boundaries,
/// TEXT escaped, DTSTAMP/CREATED/LAST-MODIFIED in UTC, DTSTART/DTEND local with TZID and a
/// VTIMEZONE built from Foundation's time zone data (or UTC `Z` times without VTIMEZONE).
public enum ICalendar {
  /// Length given to an event whose `end` is not after its `start` (a call planned for a
  /// moment): 15 minutes. DTEND is always written and always later than DTSTART.
  public static let fallbackDuration: TimeInterval = 15 * 60
  /// A recurring event without `UNTIL` gets VTIMEZONE transitions for this many years after the
  /// year it starts in; with `UNTIL`, up to the UNTIL year, but never more than
  /// `maximumRecurrenceYears` after the start.
  public static let recurrenceHorizonYears = 3
  public static let maximumRecurrenceYears = 10
  public static let productID = "-//TermCRM//TermCRM Calendar Export//RU"

  // MARK: Writing

  /// A VCALENDAR with VERSION:2.0, PRODID, CALSCALE:GREGORIAN, METHOD:PUBLISH, X-WR-CALNAME
  /// (name), X-WR-TIMEZONE, one VTIMEZONE for `timeZone` covering every year the events touch,
  /// then the VEVENTs in the given order. `stamp` is written as every event's DTSTAMP.
  ///
  /// A UTC zone (`UTC`, `GMT`, `Etc/UTC`…) gets `Z` times and no VTIMEZONE. With no events
  /// and a non-UTC zone, the VTIMEZONE covers the year of `stamp`, so the calendar still has a
  /// component as RFC 5545 requires.
  public static func write(
    _ events: [ICSEvent], calendarName: String, timeZone: TimeZone, stamp: Date
  ) -> String {
    let utc = isUTC(timeZone)
    var lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:" + escapeText(productID),
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:" + escapeText(calendarName),
      "X-WR-TIMEZONE:" + escapeText(utc ? "UTC" : timeZone.identifier),
    ]
    if !utc {
      let years = coveredYears(events, timeZone: timeZone, stamp: stamp)
      lines += timeZoneLines(timeZone, years: years)
    }
    for event in events {
      lines += eventLines(event, timeZone: timeZone, utc: utc, stamp: stamp)
    }
    lines.append("END:VCALENDAR")
    return lines.map { fold($0) + "\r\n" }.joined()
  }

  static func eventLines(_ e: ICSEvent, timeZone: TimeZone, utc: Bool, stamp: Date) -> [String] {
    let end = e.end > e.start ? e.end : e.start.addingTimeInterval(fallbackDuration)
    func local(_ name: String, _ date: Date) -> String {
      utc
        ? "\(name):\(utcStamp(date))"
        : "\(name);TZID=\(parameterValue(timeZone.identifier)):"
          + dateTimeString(date, in: timeZone)
    }
    var lines = [
      "BEGIN:VEVENT",
      "UID:" + escapeText(e.uid),
      "DTSTAMP:" + utcStamp(stamp),
      "CREATED:" + utcStamp(e.created),
      "LAST-MODIFIED:" + utcStamp(e.lastModified),
      "SEQUENCE:\(max(0, e.sequence))",
      local("DTSTART", e.start),
      local("DTEND", end),
    ]
    if let rule = e.rrule?.filter({ $0 != "\r" && $0 != "\n" }), !rule.isEmpty {
      lines.append("RRULE:" + rule)
    }
    lines.append("SUMMARY:" + escapeText(e.summary))
    if !e.description.isEmpty { lines.append("DESCRIPTION:" + escapeText(e.description)) }
    if !e.location.isEmpty { lines.append("LOCATION:" + escapeText(e.location)) }
    let categories = e.categories.filter { !$0.isEmpty }
    if !categories.isEmpty {
      lines.append("CATEGORIES:" + categories.map(escapeText).joined(separator: ","))
    }
    if let alarm = e.alarm {
      lines += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:" + escapeText(e.summary.isEmpty ? "Напоминание" : e.summary),
        "TRIGGER:" + durationString(wholeSeconds(alarm).timeIntervalSince(wholeSeconds(e.start))),
        "END:VALARM",
      ]
    }
    lines.append("END:VEVENT")
    return lines
  }

  /// True for the zones written as UTC with `Z`.
  public static func isUTC(_ zone: TimeZone) -> Bool {
    let names: Set = [
      "UTC", "GMT", "UCT", "Zulu", "Universal", "Etc/UTC", "Etc/GMT", "Etc/UCT", "Etc/Zulu",
      "Etc/Universal", "GMT0", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0",
    ]
    return names.contains(zone.identifier)
  }

  /// Escapes a TEXT value: `\` `;` `,` and line breaks (CRLF, LF, CR → `\n`); other control
  /// characters, which RFC 5545 does not allow in TEXT, are dropped (TAB is kept).
  public static func escapeText(_ text: String) -> String {
    var out = ""
    var previousCR = false
    for scalar in text.unicodeScalars {
      defer { previousCR = scalar == "\r" }
      switch scalar {
      case "\\": out += "\\\\"
      case ";": out += "\\;"
      case ",": out += "\\,"
      case "\r": out += "\\n"
      case "\n": if !previousCR { out += "\\n" }
      case "\t": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Reverses `escapeText`: `\n`/`\N` → LF, `\\` `\;` `\,` → the character; an unknown escape
  /// keeps its character (lenient, as most readers are).
  public static func unescapeText(_ text: String) -> String {
    guard text.contains("\\") else { return text }
    var out = ""
    var escaped = false
    for ch in text.unicodeScalars {
      if escaped {
        out.unicodeScalars.append(ch == "n" || ch == "N" ? "\n" : ch)
        escaped = false
      } else if ch == "\\" {
        escaped = true
      } else {
        out.unicodeScalars.append(ch)
      }
    }
    if escaped { out.append("\\") }
    return out
  }

  /// Folds one content line (without its CRLF) so that no physical line exceeds 75 UTF-8
  /// octets: CRLF + one space is inserted before the character that would overflow. Unicode
  /// scalars are never split, so every physical line is valid UTF-8.
  public static func fold(_ line: String) -> String {
    let limit = 75
    guard line.utf8.count > limit else { return line }
    var out = ""
    var used = 0
    for scalar in line.unicodeScalars {
      let size = String(scalar).utf8.count
      if used + size > limit {
        out += "\r\n "
        used = 1
      }
      out.unicodeScalars.append(scalar)
      used += size
    }
    return out
  }

  /// `20261123T101500Z`.
  public static func utcStamp(_ date: Date) -> String {
    dateTimeString(date, in: utcZone) + "Z"
  }

  /// Local date-time without zone suffix, `20261123T131500`.
  static func dateTimeString(_ date: Date, in zone: TimeZone) -> String {
    let c = calendar(zone).dateComponents(
      [.year, .month, .day, .hour, .minute, .second], from: wholeSeconds(date))
    return pad(c.year ?? 0, 4) + pad(c.month ?? 0, 2) + pad(c.day ?? 0, 2) + "T"
      + pad(c.hour ?? 0, 2) + pad(c.minute ?? 0, 2) + pad(c.second ?? 0, 2)
  }

  /// An RFC 5545 DURATION value: `-PT15M`, `PT1H30M`, `P1DT2H`, `PT0S`.
  public static func durationString(_ seconds: TimeInterval) -> String {
    var total = Int(seconds.rounded())
    let sign = total < 0 ? "-" : ""
    total = abs(total)
    if total == 0 { return "PT0S" }
    let days = total / 86_400
    let h = total % 86_400 / 3600
    let m = total % 3600 / 60
    let s = total % 60
    var out = sign + "P"
    if days > 0 { out += "\(days)D" }
    if h > 0 || m > 0 || s > 0 {
      out += "T"
      if h > 0 { out += "\(h)H" }
      // dur-hour may only be followed by dur-minute, so 1 h 5 s is PT1H0M5S.
      if m > 0 || (h > 0 && s > 0) { out += "\(m)M" }
      if s > 0 { out += "\(s)S" }
    }
    return out
  }

  /// Parses a DURATION value (`-PT15M`, `P1DT2H`, `P2W`); nil when malformed.
  public static func duration(_ text: String) -> TimeInterval? {
    var chars = Substring(text.uppercased())
    var sign = 1.0
    if chars.first == "+" || chars.first == "-" {
      if chars.first == "-" { sign = -1 }
      chars = chars.dropFirst()
    }
    guard chars.first == "P" else { return nil }
    chars = chars.dropFirst()
    var total = 0.0
    var number = ""
    var inTime = false
    var sawUnit = false
    for ch in chars {
      if ch.isASCII, ch.isNumber {
        number.append(ch)
        continue
      }
      if ch == "T" {
        guard !inTime, number.isEmpty else { return nil }
        inTime = true
        continue
      }
      guard let n = Double(number) else { return nil }
      let unit: Double
      switch (ch, inTime) {
      case ("W", false): unit = 604_800
      case ("D", false): unit = 86_400
      case ("H", true): unit = 3600
      case ("M", true): unit = 60
      case ("S", true): unit = 1
      default: return nil
      }
      total += n * unit
      number = ""
      sawUnit = true
    }
    guard sawUnit, number.isEmpty else { return nil }
    return sign * total
  }

  /// The instant of a DATE-TIME (or DATE) property: `…Z` is UTC, `TZID=` is looked up with
  /// `TimeZone(identifier:)` (the VTIMEZONE is not consulted), a floating time uses
  /// `floatingTimeZone`. A DATE is midnight in that zone. Nil when malformed or the TZID is
  /// unknown. A local time repeated at a DST fall-back resolves as Foundation's Calendar does.
  public static func date(_ property: ICSProperty, floatingTimeZone: TimeZone = utcZone) -> Date? {
    var text = Substring(property.value)
    var zone = floatingTimeZone
    if text.hasSuffix("Z") || text.hasSuffix("z") {
      zone = utcZone
      text = text.dropLast()
    } else if let tzid = property.parameters["TZID"] {
      guard let named = TimeZone(identifier: tzid) else { return nil }
      zone = named
    }
    let digits = text.filter { $0 != "T" && $0 != "t" }
    guard digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      (digits.count == 8 && text.count == 8)
        || (digits.count == 14 && text.count == 15 && text.dropFirst(8).first == "T")
    else { return nil }
    func number(_ from: Int, _ length: Int) -> Int {
      let start = digits.index(digits.startIndex, offsetBy: from)
      return Int(digits[start..<digits.index(start, offsetBy: length)]) ?? 0
    }
    var c = DateComponents()
    c.year = number(0, 4)
    c.month = number(4, 2)
    c.day = number(6, 2)
    if digits.count == 14 {
      c.hour = number(8, 2)
      c.minute = number(10, 2)
      c.second = number(12, 2)
    } else {
      c.hour = 0
      c.minute = 0
      c.second = 0
    }
    let cal = calendar(zone)
    guard let date = cal.date(from: c) else { return nil }
    // Reject impossible values like month 13, which Calendar would roll over.
    let back = cal.dateComponents([.year, .month, .day], from: date)
    guard back.year == c.year, back.month == c.month, back.day == c.day else { return nil }
    return date
  }

  // MARK: Time zones

  /// Local years (in `timeZone`) that the events' starts, ends and recurrences touch.
  static func coveredYears(_ events: [ICSEvent], timeZone: TimeZone, stamp: Date)
    -> ClosedRange<Int>
  {
    let cal = calendar(timeZone)
    var low = Int.max
    var high = Int.min
    for e in events {
      let end = e.end > e.start ? e.end : e.start.addingTimeInterval(fallbackDuration)
      let startYear = cal.component(.year, from: e.start)
      var endYear = cal.component(.year, from: end)
      if let rule = e.rrule, !rule.isEmpty {
        let until = untilYear(rule) ?? startYear + recurrenceHorizonYears
        endYear = max(endYear, min(until, startYear + maximumRecurrenceYears))
      }
      low = min(low, startYear)
      high = max(high, endYear)
    }
    if low > high {
      let year = cal.component(.year, from: stamp)
      return year...year
    }
    return low...high
  }

  static func untilYear(_ rule: String) -> Int? {
    for part in rule.uppercased().split(separator: ";") where part.hasPrefix("UNTIL=") {
      return Int(part.dropFirst("UNTIL=".count).prefix(4))
    }
    return nil
  }

  struct Transition: Equatable {
    var at: Date
    var from: Int
    var to: Int
    var daylight: Bool
  }

  /// Offset changes of `zone` after `start` and before `end`, from Foundation's time zone data
  /// (`nextDaylightSavingTimeTransition`); changes that keep the offset are skipped.
  static func transitions(_ zone: TimeZone, from start: Date, to end: Date) -> [Transition] {
    var result: [Transition] = []
    var cursor = start
    while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
      let from = zone.secondsFromGMT(for: next.addingTimeInterval(-1))
      let to = zone.secondsFromGMT(for: next)
      if from != to {
        result.append(
          Transition(
            at: next, from: from, to: to, daylight: zone.isDaylightSavingTime(for: next)))
      }
      guard next > cursor else { break }
      cursor = next
    }
    return result
  }

  /// A VTIMEZONE with one observance per offset change in `years`, preceded by the observance
  /// in force when the range starts (the last change in the year before, or, when there is
  /// none, a STANDARD from 1970 with equal FROM/TO offsets).
  static func timeZoneLines(_ zone: TimeZone, years: ClosedRange<Int>) -> [String] {
    let cal = calendar(zone)
    let rangeStart =
      cal.date(from: DateComponents(year: years.lowerBound, month: 1, day: 1))
      ?? Date(timeIntervalSince1970: 0)
    let rangeEnd =
      cal.date(from: DateComponents(year: years.upperBound + 1, month: 1, day: 1))
      ?? rangeStart
    let inRange = transitions(zone, from: rangeStart.addingTimeInterval(-1), to: rangeEnd)
    let before = transitions(
      zone, from: rangeStart.addingTimeInterval(-400 * 86_400), to: rangeStart)
    var lines = ["BEGIN:VTIMEZONE", "TZID:" + escapeText(zone.identifier)]
    if let lead = before.last {
      lines += observance(lead)
    } else {
      let offset = zone.secondsFromGMT(for: rangeStart)
      lines += [
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:" + offsetString(offset),
        "TZOFFSETTO:" + offsetString(offset),
        "TZNAME:" + offsetName(offset),
        "END:STANDARD",
      ]
    }
    for t in inRange { lines += observance(t) }
    lines.append("END:VTIMEZONE")
    return lines
  }

  static func observance(_ t: Transition) -> [String] {
    let kind = t.daylight ? "DAYLIGHT" : "STANDARD"
    // DTSTART of an observance is the local time just before the change (in TZOFFSETFROM).
    let local = dateTimeString(t.at.addingTimeInterval(TimeInterval(t.from)), in: utcZone)
    return [
      "BEGIN:" + kind,
      "DTSTART:" + local,
      "TZOFFSETFROM:" + offsetString(t.from),
      "TZOFFSETTO:" + offsetString(t.to),
      "TZNAME:" + offsetName(t.to),
      "END:" + kind,
    ]
  }

  /// `+0300`, `-0500`, `+0530`, with seconds only when present (`+002130`).
  static func offsetString(_ seconds: Int) -> String {
    let sign = seconds < 0 ? "-" : "+"
    let a = abs(seconds)
    let s = a % 60
    return sign + pad(a / 3600, 2) + pad(a % 3600 / 60, 2) + (s == 0 ? "" : pad(s, 2))
  }

  /// TZNAME from the offset (`+03`, `-05`, `+0530`), as tzdata does for zones without a
  /// letter abbreviation. Foundation's abbreviations depend on the platform and locale
  /// (`GMT+1` on Linux, `CET` elsewhere), which would make the output differ between machines.
  static func offsetName(_ seconds: Int) -> String {
    let sign = seconds < 0 ? "-" : "+"
    let a = abs(seconds)
    let m = a % 3600 / 60
    return sign + pad(a / 3600, 2) + (m == 0 ? "" : pad(m, 2))
  }

  // MARK: Reading

  /// Reads an iCalendar text into its outermost component (normally VCALENDAR): unfolds lines,
  /// splits `NAME;PARAM=…:VALUE`, unescapes TEXT values (see `ICSProperty.value`), nests
  /// BEGIN/END. CRLF and bare LF line ends are both accepted; blank lines are skipped.
  /// Throws for a continuation line with nothing to continue, a line without `:`, an empty
  /// name, an unbalanced BEGIN/END, a property outside any component, or content after the
  /// outermost END.
  public static func parse(_ text: String) throws(ICalendarError) -> ICSComponent {
    var logical: [(line: Int, text: String)] = []
    var number = 0
    // Unicode scalars, not Characters: "\r\n" is one Character, and a fold may put a combining
    // mark or ZWJ right after the leading space, which would merge with it into one Character.
    for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      var physical = raw
      if physical.last == "\r" { physical = physical.dropLast() }
      if let first = physical.first, first == " " || first == "\t" {
        guard !logical.isEmpty else {
          throw ICalendarError(
            line: number, message: "continuation line with no content line before it")
        }
        logical[logical.count - 1].text += String(Substring(physical.dropFirst()))
        continue
      }
      if physical.isEmpty { continue }
      logical.append((number, String(Substring(physical))))
    }

    var stack: [(component: ICSComponent, line: Int)] = []
    var root: ICSComponent?
    for (line, content) in logical {
      let property = try parseLine(content, line: line)
      if property.name == "BEGIN" {
        guard root == nil else {
          throw ICalendarError(line: line, message: "content after the end of \(root!.name)")
        }
        let name = property.value.uppercased()
        guard !name.isEmpty else { throw ICalendarError(line: line, message: "BEGIN without name") }
        stack.append((ICSComponent(name: name), line))
      } else if property.name == "END" {
        let name = property.value.uppercased()
        guard let open = stack.popLast() else {
          throw ICalendarError(line: line, message: "END:\(name) without BEGIN")
        }
        guard open.component.name == name else {
          throw ICalendarError(
            line: line,
            message: "END:\(name) does not match BEGIN:\(open.component.name) on line \(open.line)"
          )
        }
        if stack.isEmpty {
          root = open.component
        } else {
          stack[stack.count - 1].component.components.append(open.component)
        }
      } else {
        guard !stack.isEmpty else {
          let place = root == nil ? "before BEGIN" : "after the end of \(root!.name)"
          throw ICalendarError(line: line, message: "\(property.name) \(place)")
        }
        stack[stack.count - 1].component.properties.append(property)
      }
    }
    if let open = stack.last {
      throw ICalendarError(
        line: open.line, message: "BEGIN:\(open.component.name) has no matching END")
    }
    guard let root else { throw ICalendarError(line: max(1, number), message: "no BEGIN found") }
    return root
  }

  /// Property names whose value is one TEXT, unescaped by `parse`.
  static let textProperties: Set = [
    "SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "CONTACT", "UID", "TZNAME", "TZID",
    "PRODID", "RELATED-TO", "X-WR-CALNAME", "X-WR-CALDESC", "X-WR-TIMEZONE", "X-WR-RELCALID",
  ]

  static func parseLine(_ content: String, line: Int) throws(ICalendarError) -> ICSProperty {
    let chars = Array(content.unicodeScalars)
    var i = 0
    func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
      var s = ""
      s.unicodeScalars.append(contentsOf: slice)
      return s
    }
    func token() -> String {
      let start = i
      while i < chars.count, chars[i] != ";", chars[i] != ":" { i += 1 }
      return string(chars[start..<i])
    }
    let name = token().trimmingCharacters(in: .whitespaces).uppercased()
    guard !name.isEmpty else {
      throw ICalendarError(line: line, message: "content line without a name")
    }
    var parameters: [String: String] = [:]
    while i < chars.count, chars[i] == ";" {
      i += 1
      let start = i
      while i < chars.count, chars[i] != "=", chars[i] != ";", chars[i] != ":" { i += 1 }
      let key = string(chars[start..<i]).uppercased()
      guard i < chars.count, chars[i] == "=", !key.isEmpty else {
        throw ICalendarError(line: line, message: "parameter without '=' in \(name)")
      }
      i += 1
      var value = ""
      while i < chars.count, chars[i] != ";", chars[i] != ":" {
        if chars[i] == "\"" {
          i += 1
          while i < chars.count, chars[i] != "\"" {
            value.unicodeScalars.append(chars[i])
            i += 1
          }
          guard i < chars.count else {
            throw ICalendarError(line: line, message: "unterminated quote in \(name)")
          }
        } else {
          value.unicodeScalars.append(chars[i])
        }
        i += 1
      }
      parameters[key] = value
    }
    guard i < chars.count, chars[i] == ":" else {
      throw ICalendarError(line: line, message: "no ':' in content line \(name)")
    }
    let raw = string(chars[(i + 1)...])
    let value = textProperties.contains(name) ? unescapeText(raw) : raw
    return ICSProperty(name: name, parameters: parameters, value: value)
  }

  // MARK: Helpers

  public static let utcZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!

  static func calendar(_ zone: TimeZone) -> Calendar {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = zone
    return cal
  }

  static func wholeSeconds(_ date: Date) -> Date {
    Date(timeIntervalSinceReferenceDate: date.timeIntervalSinceReferenceDate.rounded(.down))
  }

  static func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }

  /// A parameter value, quoted when it contains `:`, `;` or `,`.
  static func parameterValue(_ value: String) -> String {
    let clean = value.filter { $0 != "\"" && !$0.isNewline }
    return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(clean)\"" : clean
  }
}
