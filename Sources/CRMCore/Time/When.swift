import Foundation

// Dates and times typed by people, calendar arithmetic and recurring series.
//
// Everything here is computed from day numbers and wall-clock readings in an explicit time zone;
// nothing depends on the OS locale database (containers usually have only C.UTF-8).
//
// Wall-clock times that a time zone skips or repeats are resolved the same way everywhere in this
// file (`When.parse`, `CalendarMath`, `Recurrence`):
// - a time inside a spring-forward gap (02:30 on 2026-03-29 in Europe/Berlin) becomes the first
//   valid instant after it, the moment the clocks jump (03:00 CEST, 01:00 UTC);
// - a time that happens twice when clocks fall back (02:30 on 2026-10-25 in Europe/Berlin)
//   becomes the earlier of the two instants (02:30 CEST, 00:30 UTC).

/// "Now", the user's time zone and a Monday-first Gregorian calendar in that zone.
public struct TimeContext: Sendable {
  public let now: Date
  public let timeZone: TimeZone

  public init(now: Date, timeZone: TimeZone) {
    self.now = now
    self.timeZone = timeZone
  }

  /// Gregorian, weeks start on Monday, ISO-8601 week numbering (`minimumDaysInFirstWeek` = 4),
  /// in `timeZone`.
  public var calendar: Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    calendar.firstWeekday = 2
    calendar.minimumDaysInFirstWeek = 4
    return calendar
  }
}

// MARK: - Day numbers and wall clocks

/// Proleptic Gregorian arithmetic on day numbers (days since 1970-01-01) and wall-clock readings
/// in a time zone.
private enum Civil {
  static func dayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  static func date(_ number: Int) -> (year: Int, month: Int, day: Int) {
    let z = number + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra =
      (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthFromMarch = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
    let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  static func daysInMonth(_ year: Int, _ month: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// 1 = Monday … 7 = Sunday.
  static func weekday(_ number: Int) -> Int {
    ((number % 7) + 10) % 7 + 1
  }

  /// The same day of the month `months` later, clamped to the last day of a shorter month.
  static func addMonths(_ number: Int, _ months: Int) -> Int {
    let (year, month, day) = date(number)
    let total = year * 12 + (month - 1) + months
    let newYear = total >= 0 ? total / 12 : (total - 11) / 12
    let newMonth = total - newYear * 12 + 1
    return dayNumber(newYear, newMonth, min(day, daysInMonth(newYear, newMonth)))
  }

  static func offset(_ t: Double, _ tz: TimeZone) -> Int {
    tz.secondsFromGMT(for: Date(timeIntervalSince1970: t))
  }

  /// The wall-clock reading of `d` in `tz`: the day number and the seconds since its midnight.
  static func wall(_ d: Date, _ tz: TimeZone) -> (day: Int, seconds: Double) {
    let t = d.timeIntervalSince1970
    let local = t + Double(offset(t, tz))
    let day = Int((local / 86_400).rounded(.down))
    return (day, local - Double(day) * 86_400)
  }

  /// The instant a wall clock in `tz` shows `seconds` after midnight of day `day`. A reading the
  /// zone skips gives the first instant after the gap; a repeated one gives the earlier instant.
  static func instant(day: Int, seconds: Double, _ tz: TimeZone) -> Date {
    let wall = Double(day) * 86_400 + seconds
    // The instant lies within 14 hours of `wall`, so these probes see the offsets in force.
    var offsets: [Int] = []
    for probe in [wall - 86_400, wall, wall + 86_400] {
      let o = offset(probe, tz)
      if !offsets.contains(o) { offsets.append(o) }
    }
    var best: Double?
    for o in offsets {
      let candidate = wall - Double(o)
      if offset(candidate, tz) == o { best = min(best ?? candidate, candidate) }
    }
    if let best { return Date(timeIntervalSince1970: best) }
    // A gap: find the first instant whose wall clock reads at or after `wall`.
    var low = (wall - Double(offsets.max()!)).rounded(.down)
    var high = (wall - Double(offsets.min()!)).rounded(.up)
    while high - low > 1 {
      let middle = ((low + high) / 2).rounded(.down)
      if middle + Double(offset(middle, tz)) >= wall { high = middle } else { low = middle }
    }
    return Date(timeIntervalSince1970: high)
  }

  static func addDays(_ d: Date, _ n: Int, _ tz: TimeZone) -> Date {
    guard n != 0 else { return d }
    let w = wall(d, tz)
    return instant(day: w.day + n, seconds: w.seconds, tz)
  }

  static func addMonths(_ d: Date, _ n: Int, _ tz: TimeZone) -> Date {
    guard n != 0 else { return d }
    let w = wall(d, tz)
    return instant(day: addMonths(w.day, n), seconds: w.seconds, tz)
  }
}

// MARK: - Calendar helpers

/// Calendar arithmetic for the calendar screen and recurring contacts. Only the time zone of the
/// calendar passed in is used: the arithmetic is always Gregorian and weeks always start on
/// Monday. Skipped and repeated wall-clock times are resolved as described at the top of this
/// file (a gap gives the first instant after it, a repeated time the earlier instant).
public enum CalendarMath {
  /// `2026-12-31` or `31.12.2026` as `yyyy-mm-dd` when it is a real day with its year in
  /// `years`; nil otherwise (including 31.02).
  public static func isoDay(_ text: String, years: ClosedRange<Int>) -> String? {
    let t = text.trimmingSpaces()
    let dash = t.split(separator: "-", omittingEmptySubsequences: false)
    let dot = t.split(separator: ".", omittingEmptySubsequences: false)
    let parts: (y: Int, m: Int, d: Int)
    if dash.count == 3, dash[0].count == 4, let y = Int(dash[0]), let m = Int(dash[1]),
      let d = Int(dash[2])
    {
      parts = (y, m, d)
    } else if dot.count == 3, dot[2].count == 4, let y = Int(dot[2]), let m = Int(dot[1]),
      let d = Int(dot[0])
    {
      parts = (y, m, d)
    } else {
      return nil
    }
    let (y, m, d) = parts
    guard years.contains(y), (1...12).contains(m), d >= 1, d <= Civil.daysInMonth(y, m) else {
      return nil
    }
    return String(format: "%04d-%02d-%02d", y, m, d)
  }

  /// Midnight of `d`'s day (or the first instant of the day where midnight is skipped).
  public static func startOfDay(_ d: Date, _ cal: Calendar) -> Date {
    Civil.instant(day: Civil.wall(d, cal.timeZone).day, seconds: 0, cal.timeZone)
  }

  /// The same wall-clock time `n` days later (earlier when negative), across DST changes.
  public static func addDays(_ d: Date, _ n: Int, _ cal: Calendar) -> Date {
    Civil.addDays(d, n, cal.timeZone)
  }

  /// The same day of the month and wall-clock time `n` months later; 31 Jan + 1 month is
  /// 28 Feb (29 in a leap year).
  public static func addMonths(_ d: Date, _ n: Int, _ cal: Calendar) -> Date {
    Civil.addMonths(d, n, cal.timeZone)
  }

  /// Monday 00:00 of `d`'s week.
  public static func startOfWeek(_ d: Date, _ cal: Calendar) -> Date {
    let day = Civil.wall(d, cal.timeZone).day
    return Civil.instant(day: day - Civil.weekday(day) + 1, seconds: 0, cal.timeZone)
  }

  /// 00:00 of the first day of `d`'s month.
  public static func startOfMonth(_ d: Date, _ cal: Calendar) -> Date {
    let (year, month, _) = Civil.date(Civil.wall(d, cal.timeZone).day)
    return Civil.instant(day: Civil.dayNumber(year, month, 1), seconds: 0, cal.timeZone)
  }

  /// Always 42 day starts (six Monday-first weeks), beginning with the Monday on or before the
  /// first of `d`'s month, so a month view never changes height. Days outside the month are
  /// included; compare with `startOfMonth` to dim them.
  public static func monthGrid(_ d: Date, _ cal: Calendar) -> [Date] {
    let (year, month, _) = Civil.date(Civil.wall(d, cal.timeZone).day)
    let first = Civil.dayNumber(year, month, 1)
    let start = first - Civil.weekday(first) + 1
    return (0..<42).map { Civil.instant(day: start + $0, seconds: 0, cal.timeZone) }
  }

  /// From the start of `d`'s day to the start of the next: 23, 24 or 25 hours.
  public static func dayInterval(_ d: Date, _ cal: Calendar) -> DateInterval {
    let day = Civil.wall(d, cal.timeZone).day
    let start = Civil.instant(day: day, seconds: 0, cal.timeZone)
    let end = Civil.instant(day: day + 1, seconds: 0, cal.timeZone)
    return DateInterval(start: start, end: end)
  }

  /// 1 = Monday … 7 = Sunday, whatever `cal.firstWeekday` says.
  public static func weekday(_ d: Date, _ cal: Calendar) -> Int {
    Civil.weekday(Civil.wall(d, cal.timeZone).day)
  }

  /// Calendar days from `a`'s day to `b`'s day: 1 from today to any time tomorrow.
  public static func daysBetween(_ a: Date, _ b: Date, _ cal: Calendar) -> Int {
    Civil.wall(b, cal.timeZone).day - Civil.wall(a, cal.timeZone).day
  }

  /// 28…31.
  public static func daysInMonth(year: Int, month: Int) -> Int {
    Civil.daysInMonth(year, month)
  }

  /// The instant of a wall-clock time in `cal`'s zone; nil when the date or time does not exist
  /// (31 February, 24:00). DST gaps and repeats are resolved as for `When.parse`.
  public static func date(
    year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, _ cal: Calendar
  ) -> Date? {
    guard (1...12).contains(month), (1...Civil.daysInMonth(year, month)).contains(day),
      (0...23).contains(hour), (0...59).contains(minute)
    else { return nil }
    return Civil.instant(
      day: Civil.dayNumber(year, month, day), seconds: Double(hour * 3600 + minute * 60),
      cal.timeZone)
  }
}

// MARK: - Words

private enum TimeUnit {
  case minute, halfHour, hour, day, week, month, year
}

private enum Words {
  static let units: [String: TimeUnit] = {
    var map: [String: TimeUnit] = [:]
    let lists: [(TimeUnit, [String])] = [
      (
        .minute,
        [
          "m", "min", "mins", "minute", "minutes", "м", "мин", "минута", "минуты", "минут",
          "минуту",
        ]
      ),
      (.halfHour, ["полчаса"]),
      (.hour, ["h", "hr", "hrs", "hour", "hours", "ч", "час", "часа", "часов"]),
      (.day, ["d", "day", "days", "д", "дн", "день", "дня", "дней"]),
      (
        .week,
        ["w", "wk", "wks", "week", "weeks", "н", "нед", "неделя", "недели", "недель", "неделю"]
      ),
      (.month, ["mo", "month", "months", "мес", "месяц", "месяца", "месяцев"]),
      (.year, ["y", "yr", "yrs", "year", "years", "г", "год", "года", "лет"]),
    ]
    for (unit, names) in lists { for name in names { map[name] = unit } }
    return map
  }()

  static let numbers: [String: Int] = [
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "один": 1, "одна": 1, "одну": 1, "одни": 1, "два": 2, "две": 2, "пару": 2, "пара": 2,
    "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10,
  ]

  static let weekdays: [String: Int] = {
    var map: [String: Int] = [:]
    let lists: [[String]] = [
      ["monday", "mon", "понедельник", "пн", "пнд", "понед"],
      ["tuesday", "tue", "tues", "вторник", "вт"],
      ["wednesday", "wed", "среда", "среду", "ср"],
      ["thursday", "thu", "thur", "thurs", "четверг", "чт"],
      ["friday", "fri", "пятница", "пятницу", "пт"],
      ["saturday", "sat", "суббота", "субботу", "сб"],
      ["sunday", "sun", "воскресенье", "воскресение", "вс", "воскр"],
    ]
    for (index, names) in lists.enumerated() { for name in names { map[name] = index + 1 } }
    return map
  }()

  static let months: [String: Int] = {
    var map: [String: Int] = [:]
    let lists: [[String]] = [
      ["january", "jan", "январь", "января", "янв"],
      ["february", "feb", "февраль", "февраля", "фев", "февр"],
      ["march", "mar", "март", "марта", "мар"],
      ["april", "apr", "апрель", "апреля", "апр"],
      ["may", "май", "мая"],
      ["june", "jun", "июнь", "июня", "июн"],
      ["july", "jul", "июль", "июля", "июл"],
      ["august", "aug", "август", "августа", "авг"],
      ["september", "sep", "sept", "сентябрь", "сентября", "сен", "сент"],
      ["october", "oct", "октябрь", "октября", "окт"],
      ["november", "nov", "ноябрь", "ноября", "ноя", "нояб"],
      ["december", "dec", "декабрь", "декабря", "дек"],
    ]
    for (index, names) in lists.enumerated() { for name in names { map[name] = index + 1 } }
    return map
  }()

  static let dayWords: [String: Int] = [
    "today": 0, "сегодня": 0, "tomorrow": 1, "завтра": 1, "day after tomorrow": 2,
    "the day after tomorrow": 2, "послезавтра": 2, "yesterday": -1, "вчера": -1,
    "day before yesterday": -2, "the day before yesterday": -2, "позавчера": -2,
  ]

  static let monthNamesEnglish = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]

  /// Prepositional case: "в феврале".
  static let monthNamesRussianIn = [
    "январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
    "октябре", "ноябре", "декабре",
  ]

  /// Splits folded text into words on whitespace (and commas when `commas`).
  static func tokens(_ folded: String, commas: Bool) -> [String] {
    folded.split(whereSeparator: { $0.isWhitespace || (commas && $0 == ",") }).map(String.init)
  }

  static func isDigits(_ s: Substring, _ lengths: ClosedRange<Int>) -> Bool {
    lengths.contains(s.count) && s.allSatisfy { $0.isASCII && $0.isNumber }
  }
}

// MARK: - Amounts ("3d", "1h30m", "через 2 часа")

private enum Piece {
  case number(Double)
  case word(String)
}

private enum AmountReading {
  case parts([(TimeUnit, Double)])
  case unreadable
  case missingUnit
  case unknownUnit(String)
}

private enum Amounts {
  /// Reads `3d`, `1h30m`, `2 часа`, `неделю` (when `implicitOne`), `1ч30` (when
  /// `minutesAfterHours`: a trailing bare number after hours is minutes).
  static func read(
    _ text: String, implicitOne: Bool, decimals: Bool, minutesAfterHours: Bool
  ) -> AmountReading {
    guard let pieces = lex(text, decimals: decimals) else { return .unreadable }
    var parts: [(TimeUnit, Double)] = []
    var i = 0
    while i < pieces.count {
      if case .word(let w) = pieces[i], !parts.isEmpty, w == "and" || w == "и" {
        i += 1
        continue
      }
      var amount: Double?
      switch pieces[i] {
      case .number(let value):
        amount = value
        i += 1
      case .word(let w):
        if let value = Words.numbers[w], i + 1 < pieces.count {
          amount = Double(value)
          i += 1
        }
      }
      guard i < pieces.count, case .word(let name) = pieces[i] else {
        if let amount, minutesAfterHours, i == pieces.count, parts.last?.0 == .hour {
          parts.append((.minute, amount))
          break
        }
        return amount == nil ? .unreadable : .missingUnit
      }
      guard let unit = Words.units[name] else {
        return amount == nil ? .unreadable : .unknownUnit(name)
      }
      if amount == nil {
        guard implicitOne, parts.isEmpty, i == pieces.count - 1 else { return .unreadable }
      }
      parts.append((unit, amount ?? 1))
      i += 1
    }
    return parts.isEmpty ? .unreadable : .parts(parts)
  }

  /// Runs of digits and runs of letters; nil on any other character.
  static func lex(_ text: String, decimals: Bool) -> [Piece]? {
    var pieces: [Piece] = []
    var number = ""
    var word = ""
    func flush() -> Bool {
      if !number.isEmpty {
        guard let value = Double(number.replacingOccurrences(of: ",", with: ".")),
          value < 10_000_000
        else { return false }
        pieces.append(.number(value))
        number = ""
      }
      if !word.isEmpty {
        pieces.append(.word(word))
        word = ""
      }
      return true
    }
    let chars = Array(text)
    for (index, ch) in chars.enumerated() {
      if ch.isWhitespace {
        guard flush() else { return nil }
      } else if ch.isASCII && ch.isNumber {
        if !word.isEmpty { guard flush() else { return nil } }
        number.append(ch)
      } else if decimals, ch == "." || ch == ",", !number.isEmpty, !number.contains("."),
        !number.contains(","), index + 1 < chars.count, chars[index + 1].isASCII,
        chars[index + 1].isNumber
      {
        number.append(ch)
      } else if ch.isLetter {
        if !number.isEmpty { guard flush() else { return nil } }
        word.append(ch)
      } else {
        return nil
      }
    }
    guard flush() else { return nil }
    return pieces
  }
}

// MARK: - When

/// Points in time and lengths of time typed by people, in English and Russian. Words of both
/// languages are accepted whatever `language` is; `language` only chooses the error text.
public enum When {
  /// Parses a point in time typed by a person. `field` names the option/field in errors
  /// (e.g. "--at"). `defaultHour/defaultMinute`: used when only a date or a day word is given
  /// (10:00 by default).
  ///
  /// Accepted (case-insensitive, extra spaces tolerated, ё = е):
  /// - `2026-11-25 10:00`, `2026-11-25T10:00`, `2026-11-25`, `25.11.2026 10:00`, `25.11.26`,
  ///   `25.11 10:00`, `25.11`, `25 ноября 15:00`, `nov 25`. Without a year: this year, or next
  ///   year when that moment passed more than a day ago.
  /// - A lone `15:30`: today at 15:30, or tomorrow when that moment has already passed.
  /// - `now`/`сейчас`; `today`, `tomorrow`, `day after tomorrow`, `yesterday` and
  ///   `сегодня`, `завтра`, `послезавтра`, `вчера`, `позавчера`.
  /// - Weekdays (`friday`, `fri`, `пятница`, `пт`, `в пятницу`, `во вторник`): the next such day
  ///   strictly after today, so `monday` typed on a Monday is a week later.
  /// - `+30m`, `+2h`, `+3d`, `+1w`, `+2mo`, `+1y`, `+1h30m`, `-2h`, `in 3 days`, `in an hour`,
  ///   `через 3 дня`, `через неделю`, `через полчаса`, `2 дня назад`, `3 days ago`. Minutes and
  ///   hours are elapsed time; days, weeks and months are calendar steps that keep the current
  ///   time of day (across DST changes too).
  ///
  /// A day, a date or a day/week/month offset may be followed by `HH:MM` (optionally after
  /// `в`/`at`): `завтра в 10:00`, `+3d 15:00`; also `3pm`, `3:30 pm`, and a bare hour after the
  /// preposition (`завтра в 10`, `tomorrow at 9`). Otherwise day words and dates get the default
  /// time. A time that falls into a spring-forward gap gives the first valid instant after it
  /// (the moment the clocks jump); a time that happens twice when clocks fall back gives the
  /// earlier instant.
  ///
  /// With `hours` (when the text plans a follow-up) a forward offset of days, weeks or months
  /// without a time of day lands by the `WorkingHours` rule: `+3d`/`через 3 дня` at the same time
  /// of day when that is within working hours, else at `day_start`, on a working day. With
  /// `elapsedToo` (a postpone) `+2h`/`через 30 минут` also move to the next start of working
  /// hours when they fall outside them. Typed times and dates, day words and past offsets are
  /// never moved.
  public static func parse(
    _ text: String, in ctx: TimeContext, language: Language, field: String,
    defaultHour: Int = 10, defaultMinute: Int = 0, hours: WorkingHours? = nil,
    elapsedToo: Bool = false
  ) throws(CRMError) -> Date {
    precondition(
      (0...23).contains(defaultHour) && (0...59).contains(defaultMinute),
      "default time out of range")
    let reader = PointReader(
      text: text.trimmingSpaces(), ctx: ctx, language: language, field: field,
      defaultTime: Double(defaultHour * 3600 + defaultMinute * 60), hours: hours,
      elapsedToo: elapsedToo)
    return try reader.read()
  }

  /// A length of time: "15m", "2h", "1d", "1w", "+3d", "1h30m", "1ч30", "1:30", "1.5h",
  /// "90" (minutes), also Russian units ("15 мин", "2 ч", "3 дн", "1 нед", "полчаса").
  /// Days are 24 hours and weeks 7 days; months and years are rejected (no fixed length).
  /// Zero is allowed, negative lengths are not. Errors like `parse`.
  public static func duration(_ text: String, language: Language, field: String)
    throws(CRMError) -> TimeInterval
  {
    let typed = text.trimmingSpaces()
    func fail(_ english: String, _ russian: String) -> CRMError {
      .invalid(field: field, problem: language.pick(english, russian))
    }
    let examplesEnglish = "use 15m, 2h, 1d, 1w, 1h30m or 90 (minutes)"
    let examplesRussian = "используйте 15 мин, 2 ч, 3 дн, 1 нед, 1ч30м или 90 (минуты)"
    let unreadable = fail(
      "cannot read «\(typed)» as a length of time; \(examplesEnglish)",
      "не удаётся прочитать «\(typed)» как длительность; \(examplesRussian)")
    var folded = TextFold.key(typed)
    guard !folded.isEmpty else {
      throw fail(
        "is empty; type a length of time, e.g. 15m, 2h, 1d, 1w, 1h30m or 90 (minutes)",
        "пусто; укажите длительность, например 15 мин, 2 ч, 3 дн, 1 нед, 1ч30м или 90 (минуты)")
    }
    if folded.hasPrefix("-") {
      throw fail(
        "«\(typed)»: a length of time cannot be negative",
        "«\(typed)»: длительность не может быть отрицательной")
    }
    if folded.hasPrefix("+") { folded.removeFirst() }
    folded = folded.trimmingSpaces()
    let limit = 36_600.0 * 86_400
    let tooLong = fail(
      "«\(typed)» is too long; at most 100 years", "«\(typed)» — слишком долго; не больше 100 лет"
    )
    let clock = folded.split(separator: ":", omittingEmptySubsequences: false)
    if clock.count == 2, Words.isDigits(clock[0], 1...5), Words.isDigits(clock[1], 2...2) {
      let hours = Double(Int(clock[0])!)
      let minutes = Double(Int(clock[1])!)
      guard minutes < 60 else {
        throw fail(
          "«\(typed)»: minutes are 0–59", "«\(typed)»: минуты — от 0 до 59")
      }
      return hours * 3600 + minutes * 60
    }
    if Words.isDigits(Substring(folded), 1...9) {
      let seconds = Double(Int(folded)!) * 60
      guard seconds <= limit else { throw tooLong }
      return seconds
    }
    switch Amounts.read(folded, implicitOne: true, decimals: true, minutesAfterHours: true) {
    case .unreadable:
      throw unreadable
    case .missingUnit:
      throw fail(
        "cannot read «\(typed)»: add a unit, e.g. 15m, 2h, 1d",
        "не удаётся прочитать «\(typed)»: добавьте единицу, например 15 мин, 2 ч, 1 дн")
    case .unknownUnit(let unit):
      throw fail(
        "cannot read «\(typed)»: «\(unit)» is not a unit; use m (minutes), h (hours), "
          + "d (days), w (weeks), e.g. 1h30m",
        "не удаётся прочитать «\(typed)»: «\(unit)» — не единица времени; используйте мин, ч, "
          + "дн, нед (или m, h, d, w), например 1ч30мин")
    case .parts(let parts):
      var total = 0.0
      for (unit, amount) in parts {
        switch unit {
        case .minute: total += amount * 60
        case .halfHour: total += amount * 1800
        case .hour: total += amount * 3600
        case .day: total += amount * 86_400
        case .week: total += amount * 7 * 86_400
        case .month, .year:
          throw fail(
            "«\(typed)»: months and years have no fixed length; use days or weeks",
            "«\(typed)»: у месяцев и лет нет постоянной длины; укажите дни или недели")
        }
      }
      guard total <= limit else { throw tooLong }
      return total.rounded()
    }
  }
}

/// One `When.parse` call.
private struct PointReader {
  let text: String
  let ctx: TimeContext
  let language: Language
  let field: String
  let defaultTime: Double
  let hours: WorkingHours?
  let elapsedToo: Bool

  var tz: TimeZone { ctx.timeZone }
  var today: Int { Civil.wall(ctx.now, tz).day }

  func fail(_ english: String, _ russian: String) -> CRMError {
    .invalid(field: field, problem: language.pick(english, russian))
  }

  func unreadable() -> CRMError {
    fail(
      "cannot read «\(text)»; use 2026-11-25 10:00, 25.11.2026 10:00, +3d, +2h, in 3 days, "
        + "tomorrow 10:00, a weekday name (friday 15:00)",
      "не удаётся прочитать «\(text)»; используйте 25.11.2026 10:00, 2026-11-25 10:00, +3d, "
        + "+2h, через 3 дня, завтра 10:00, день недели (пятница 15:00)")
  }

  func at(_ day: Int, _ seconds: Double) -> Date {
    Civil.instant(day: day, seconds: seconds, tz)
  }

  func read() throws(CRMError) -> Date {
    var tokens = Words.tokens(TextFold.key(text), commas: true)
    guard !tokens.isEmpty else {
      throw fail(
        "is empty; type a date and time, e.g. 2026-11-25 10:00, +3d or tomorrow 10:00",
        "пусто; укажите дату и время, например 25.11.2026 10:00, +3d или завтра 10:00")
    }
    // 2026-11-25t10:00 → 2026-11-25 10:00
    tokens = tokens.flatMap { token -> [String] in
      let halves = token.split(separator: "t", omittingEmptySubsequences: false)
      guard halves.count == 2, halves[0].first?.isNumber == true, halves[1].contains(":") else {
        return [token]
      }
      return [String(halves[0]), String(halves[1])]
    }
    // "3 pm" → "3pm"
    if tokens.count > 1, let last = tokens.last, last == "am" || last == "pm",
      tokens[tokens.count - 2].allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":") })
    {
      tokens.removeLast()
      tokens[tokens.count - 1] += last
    }
    let prepositions = ["в", "во", "at"]
    var time: Double?
    let afterPreposition = tokens.count > 1 && prepositions.contains(tokens[tokens.count - 2])
    if let last = tokens.last, let t = try timeOfDay(last, bareHour: afterPreposition) {
      time = t
      tokens.removeLast()
      if let preposition = tokens.last, prepositions.contains(preposition) {
        tokens.removeLast()
      }
    } else if let first = tokens.first, let t = try timeOfDay(first, bareHour: false) {
      time = t
      tokens.removeFirst()
    }
    if tokens.count > 1, ["в", "во", "на", "on"].contains(tokens[0]) { tokens.removeFirst() }

    guard !tokens.isEmpty else {
      // A lone time: today, or tomorrow when it has passed.
      let time = time ?? defaultTime
      let date = at(today, time)
      return date < ctx.now ? at(today + 1, time) : date
    }
    let phrase = tokens.joined(separator: " ")
    if phrase == "now" || phrase == "сейчас" {
      guard time == nil else {
        throw fail(
          "cannot read «\(text)»: «now» takes no time; use today 10:00",
          "не удаётся прочитать «\(text)»: после «сейчас» время не пишут; используйте "
            + "сегодня 10:00")
      }
      return ctx.now
    }
    if let offset = Words.dayWords[phrase] { return at(today + offset, time ?? defaultTime) }
    if let sign = phrase.first, sign == "+" || sign == "-" {
      return try relative(
        String(phrase.dropFirst()), sign: sign == "+" ? 1 : -1, implicitOne: false, time: time)
    }
    if tokens.count > 1, tokens[0] == "in" || tokens[0] == "через" {
      return try relative(
        tokens.dropFirst().joined(separator: " "), sign: 1, implicitOne: true, time: time)
    }
    if tokens.count > 1, let last = tokens.last, last == "ago" || last == "назад" {
      return try relative(
        tokens.dropLast().joined(separator: " "), sign: -1, implicitOne: true, time: time)
    }
    if tokens.count == 1, let weekday = Words.weekdays[trimDot(tokens[0])] {
      var ahead = (weekday - Civil.weekday(today) + 7) % 7
      if ahead == 0 { ahead = 7 }
      return at(today + ahead, time ?? defaultTime)
    }
    if let date = try absolute(tokens, time: time ?? defaultTime) { return date }
    throw unreadable()
  }

  func trimDot(_ s: String) -> String {
    s.count > 1 && s.hasSuffix(".") ? String(s.dropLast()) : s
  }

  /// Seconds after midnight for `H:MM`, `HH:MM`, `HH:MM:SS`, `3pm`, `3:30pm` (and a bare hour
  /// `15` when `bareHour`, i.e. after `в`/`at`); nil when `token` is not shaped like a time, an
  /// error when it is but the numbers are out of range.
  func timeOfDay(_ token: String, bareHour: Bool) throws(CRMError) -> Double? {
    var clock = Substring(token)
    var meridiem: Substring?
    if clock.count > 2, clock.hasSuffix("am") || clock.hasSuffix("pm") {
      meridiem = clock.suffix(2)
      clock = clock.dropLast(2)
    }
    let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count <= 3, Words.isDigits(parts[0], 1...2),
      parts.dropFirst().allSatisfy({ Words.isDigits($0, 2...2) }),
      parts.count > 1 || meridiem != nil || bareHour
    else { return nil }
    var numbers = parts.map { Int($0)! }
    if numbers.count == 1 { numbers.append(0) }
    if let meridiem {
      guard (1...12).contains(numbers[0]), numbers[1] <= 59, numbers.count == 2 else {
        throw fail(
          "«\(token)» is not a time: with am/pm hours are 1–12, minutes 0–59",
          "«\(token)» — такого времени нет: с am/pm часы от 1 до 12, минуты от 0 до 59")
      }
      numbers[0] = numbers[0] % 12 + (meridiem == "pm" ? 12 : 0)
    }
    guard numbers[0] <= 23, numbers[1] <= 59, numbers.count == 2 || numbers[2] <= 59 else {
      throw fail(
        "«\(token)» is not a time: hours are 0–23, minutes 0–59",
        "«\(token)» — такого времени нет: часы от 0 до 23, минуты от 0 до 59")
    }
    return Double(numbers[0] * 3600 + numbers[1] * 60 + (numbers.count == 3 ? numbers[2] : 0))
  }

  func relative(_ body: String, sign: Int, implicitOne: Bool, time: Double?) throws(CRMError)
    -> Date
  {
    let parts: [(TimeUnit, Double)]
    switch Amounts.read(body, implicitOne: implicitOne, decimals: false, minutesAfterHours: false)
    {
    case .parts(let read): parts = read
    case .unreadable: throw unreadable()
    case .missingUnit:
      throw fail(
        "cannot read «\(text)»: add a unit, e.g. +3d, +3h, +30m",
        "не удаётся прочитать «\(text)»: добавьте единицу, например +3d, +3h, +30m "
          + "(или +3 дн, +3 ч, +30 мин)")
    case .unknownUnit(let unit):
      throw fail(
        "cannot read «\(text)»: «\(unit)» is not a unit; use m (minutes), h (hours), d (days), "
          + "w (weeks), mo (months), e.g. +3d",
        "не удаётся прочитать «\(text)»: «\(unit)» — не единица времени; используйте мин, ч, "
          + "дн, нед, мес (или m, h, d, w, mo), например +3d")
    }
    var months = 0
    var days = 0
    var seconds = 0.0
    var reach = 0.0  // roughly in days, to refuse absurd offsets before any arithmetic
    for (unit, amount) in parts {
      switch unit {
      case .minute: reach += amount / 1440
      case .halfHour: reach += amount / 48
      case .hour: reach += amount / 24
      case .day: reach += amount
      case .week: reach += amount * 7
      case .month: reach += amount * 31
      case .year: reach += amount * 366
      }
    }
    guard reach <= 36_600 else {
      throw fail(
        "«\(text)» is too far away; offsets are limited to 100 years",
        "«\(text)» — слишком далеко; сдвиг не больше 100 лет")
    }
    for (unit, amount) in parts {
      let n = Int(amount)
      switch unit {
      case .minute: seconds += Double(n) * 60
      case .halfHour: seconds += Double(n) * 1800
      case .hour: seconds += Double(n) * 3600
      case .day: days += n
      case .week: days += n * 7
      case .month: months += n
      case .year: months += n * 12
      }
    }
    if let time {
      guard seconds == 0 else {
        throw fail(
          "cannot read «\(text)»: a time of day can follow only days, weeks or months "
            + "(+3d 15:00)",
          "не удаётся прочитать «\(text)»: время суток можно указать только после дней, "
            + "недель или месяцев (+3d 15:00)")
      }
      return at(Civil.addMonths(today, sign * months) + sign * days, time)
    }
    var date = Civil.addMonths(ctx.now, sign * months, tz)
    date = Civil.addDays(date, sign * days, tz)
    date = date.addingTimeInterval(Double(sign) * seconds)
    if sign > 0, var hours {
      hours.timeZone = tz
      if seconds == 0 { return hours.onWorkingDay(date) }
      if elapsedToo { return hours.fit(date) }
    }
    return date
  }

  /// `2026-11-25`, `25.11.2026`, `25.11.26`, `25.11`, `25 ноября [2026]`, `nov 25 [2026]`;
  /// nil when `tokens` have none of these shapes.
  func absolute(_ tokens: [String], time: Double) throws(CRMError) -> Date? {
    let typed = tokens.joined(separator: " ")
    if tokens.count == 1 {
      let token = tokens[0]
      let dashed = token.split(separator: "-", omittingEmptySubsequences: false)
      if dashed.count == 3, Words.isDigits(dashed[0], 4...4), Words.isDigits(dashed[1], 1...2),
        Words.isDigits(dashed[2], 1...2)
      {
        return try date(
          year: Int(dashed[0])!, month: Int(dashed[1])!, day: Int(dashed[2])!, time: time,
          typed: typed)
      }
      var dotted = token.split(separator: ".", omittingEmptySubsequences: false)
      if dotted.count > 2, dotted.last?.isEmpty == true { dotted.removeLast() }  // "25.11."
      guard dotted.count == 2 || dotted.count == 3, Words.isDigits(dotted[0], 1...2),
        Words.isDigits(dotted[1], 1...2)
      else { return nil }
      let day = Int(dotted[0])!
      let month = Int(dotted[1])!
      guard dotted.count == 3 else {
        return try date(month: month, day: day, time: time, typed: typed)
      }
      guard Words.isDigits(dotted[2], 4...4) || Words.isDigits(dotted[2], 2...2) else {
        return nil
      }
      let year = Int(dotted[2])! + (dotted[2].count == 2 ? 2000 : 0)
      return try date(year: year, month: month, day: day, time: time, typed: typed)
    }
    // 25 ноября [2026 [г.|года]], nov 25 [2026]
    var words = tokens
    if words.count > 2, let last = words.last, ["г", "г.", "года"].contains(last) {
      words.removeLast()
    }
    guard words.count == 2 || words.count == 3 else { return nil }
    var day: Int?
    var month: Int?
    if Words.isDigits(Substring(words[0]), 1...2), let m = Words.months[trimDot(words[1])] {
      day = Int(words[0])
      month = m
    } else if let m = Words.months[trimDot(words[0])], Words.isDigits(Substring(words[1]), 1...2) {
      day = Int(words[1])
      month = m
    }
    guard let day, let month else { return nil }
    guard words.count == 3 else {
      return try date(month: month, day: day, time: time, typed: typed)
    }
    var yearText = Substring(words[2])
    if yearText.hasSuffix("г.") { yearText = yearText.dropLast(2) }
    if yearText.hasSuffix("г") { yearText = yearText.dropLast() }
    guard Words.isDigits(yearText, 4...4) else { return nil }
    return try date(year: Int(yearText)!, month: month, day: day, time: time, typed: typed)
  }

  /// A date without a year: this year, or next year when that moment passed more than a day ago.
  func date(month: Int, day: Int, time: Double, typed: String) throws(CRMError) -> Date {
    let year = Civil.date(today).year
    var target = year
    if (1...12).contains(month) {
      let probe = at(
        Civil.dayNumber(year, month, min(max(day, 1), Civil.daysInMonth(year, month))), time)
      if probe < ctx.now.addingTimeInterval(-86_400) { target = year + 1 }
    }
    return try date(year: target, month: month, day: day, time: time, typed: typed)
  }

  func date(year: Int, month: Int, day: Int, time: Double, typed: String) throws(CRMError)
    -> Date
  {
    guard (1...12).contains(month) else {
      throw fail(
        "\(typed) is not a date: months are 1–12", "\(typed) — такой даты нет: месяц — от 1 до 12")
    }
    guard (1900...2999).contains(year) else {
      throw fail(
        "\(typed): the year must be between 1900 and 2999",
        "\(typed): год должен быть от 1900 до 2999")
    }
    let length = Civil.daysInMonth(year, month)
    guard (1...length).contains(day) else {
      let russianDays = RussianPlural.pick(length, "день", "дня", "дней")
      throw fail(
        "\(typed) is not a date: \(Words.monthNamesEnglish[month - 1]) \(year) has \(length) days",
        "\(typed) — такой даты нет: в \(Words.monthNamesRussianIn[month - 1]) \(year) года "
          + "\(length) \(russianDays)")
    }
    return at(Civil.dayNumber(year, month, day), time)
  }
}

// MARK: - Recurrence

/// "every N days / weeks / months", stored as text "3d", "2w", "1m" (also its Codable form).
public struct Recurrence: Codable, Equatable, Sendable {
  public enum Unit: String, Codable, Sendable {
    case day = "d"
    case week = "w"
    case month = "m"
  }

  /// 1...365 when read from text; occurrences treat anything below 1 as 1.
  public var every: Int
  public var unit: Unit

  public init(every: Int, unit: Unit) {
    self.every = every
    self.unit = unit
  }

  /// "3d", "2w", "1m" (the storage form; "m" is months here), "3 days", "2 weeks", "every 3
  /// days", "every other week", "daily", "weekly", "fortnightly", "monthly", "quarterly",
  /// "yearly", "каждые 3 дня", "каждую неделю", "каждый месяц", "раз в 2 недели",
  /// "ежедневно", "еженедельно", "ежемесячно", "ежеквартально", "ежегодно". Years become 12
  /// months. Nil for anything else or a count outside 1...365.
  public init?(_ text: String) {
    var words = Words.tokens(TextFold.key(text.trimmingSpaces()), commas: false)
    if words.count == 1, let pair = Recurrence.named[words[0]] {
      self.init(every: pair.0, unit: pair.1)
      return
    }
    var implicitOne = false
    if let first = words.first, ["every", "каждый", "каждые", "каждую", "каждое"].contains(first) {
      words.removeFirst()
      implicitOne = true
    } else if words.count > 2, words[0] == "раз", words[1] == "в" {
      words.removeFirst(2)
      implicitOne = true
    } else if words.count > 2, words[0] == "once", words[1] == "every" || words[1] == "a" {
      words.removeFirst(2)
      implicitOne = true
    }
    if words.count == 2, words[0] == "other" { words[0] = "2" }
    guard let pair = Recurrence.read(words.joined(separator: " "), implicitOne: implicitOne),
      (1...365).contains(pair.0)
    else { return nil }
    self.init(every: pair.0, unit: pair.1)
  }

  private static let named: [String: (Int, Unit)] = [
    "daily": (1, .day), "ежедневно": (1, .day), "weekly": (1, .week), "еженедельно": (1, .week),
    "fortnightly": (2, .week), "monthly": (1, .month), "ежемесячно": (1, .month),
    "quarterly": (3, .month), "ежеквартально": (3, .month), "yearly": (12, .month),
    "annually": (12, .month), "ежегодно": (12, .month),
  ]

  private static func read(_ body: String, implicitOne: Bool) -> (Int, Unit)? {
    if ["quarter", "квартал"].contains(body) { return (3, .month) }
    // The storage form "3d", "2w", "1m" (months here, not minutes).
    let compact = body.filter { !$0.isWhitespace }
    if let last = compact.last, let unit = Unit(rawValue: String(last)),
      Words.isDigits(compact.dropLast(), 1...3)
    {
      return (Int(compact.dropLast())!, unit)
    }
    guard
      case .parts(let parts) = Amounts.read(
        body, implicitOne: implicitOne, decimals: false, minutesAfterHours: false),
      parts.count == 1
    else { return nil }
    let n = Int(parts[0].1)
    switch parts[0].0 {
    case .day: return (n, .day)
    case .week: return (n, .week)
    case .month: return (n, .month)
    case .year: return (n * 12, .month)
    case .minute, .halfHour, .hour: return nil
    }
  }

  /// The storage form, "3d".
  public var text: String { "\(every)\(unit.rawValue)" }

  /// "every 3 days", "every week" / "каждые 3 дня", "каждую неделю", "каждый 21 день".
  public func describe(_ l: Language) -> String {
    switch l {
    case .en:
      let name: String
      switch unit {
      case .day: name = "day"
      case .week: name = "week"
      case .month: name = "month"
      }
      return every == 1 ? "every \(name)" : "every \(every) \(name)s"
    case .ru:
      let forms: (String, String, String)
      let single: String
      switch unit {
      case .day:
        forms = ("день", "дня", "дней")
        single = "каждый"
      case .week:
        forms = ("неделю", "недели", "недель")
        single = "каждую"
      case .month:
        forms = ("месяц", "месяца", "месяцев")
        single = "каждый"
      }
      if every == 1 { return "\(single) \(forms.0)" }
      let noun = RussianPlural.pick(every, forms.0, forms.1, forms.2)
      // "каждый 21 день", but "каждые 2 дня", "каждые 11 дней".
      let adjective = noun == forms.0 ? single : "каждые"
      return "\(adjective) \(every) \(noun)"
    }
  }

  private var step: Int { max(1, every) }

  /// The n-th occurrence (n = 0 is the anchor itself), computed from the anchor rather than
  /// chained, so a monthly series anchored on 31 Jan goes 31 Jan, 28/29 Feb, 31 Mar, 30 Apr…;
  /// keeps the wall-clock time across DST (resolved like `When.parse` when it is skipped).
  public func occurrence(_ n: Int, anchor: Date, _ cal: Calendar) -> Date {
    switch unit {
    case .day: return Civil.addDays(anchor, n * step, cal.timeZone)
    case .week: return Civil.addDays(anchor, n * step * 7, cal.timeZone)
    case .month: return Civil.addMonths(anchor, n * step, cal.timeZone)
    }
  }

  /// The first occurrence strictly after `date`; the anchor itself when `date` is before it
  /// (a series has no occurrences before its anchor).
  public func next(after date: Date, anchor: Date, _ cal: Calendar) -> Date {
    guard date >= anchor else { return anchor }
    var n: Int
    switch unit {
    case .day, .week:
      let period = Double(step * (unit == .week ? 7 : 1)) * 86_400
      n = Int((date.timeIntervalSince(anchor) / period).rounded(.down))
    case .month:
      let from = Civil.date(Civil.wall(anchor, cal.timeZone).day)
      let to = Civil.date(Civil.wall(date, cal.timeZone).day)
      n = ((to.year - from.year) * 12 + to.month - from.month) / step
    }
    n = max(0, n)
    while n > 0 && occurrence(n - 1, anchor: anchor, cal) > date { n -= 1 }
    while occurrence(n, anchor: anchor, cal) <= date { n += 1 }
    return occurrence(n, anchor: anchor, cal)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let value = Recurrence(text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "not a recurrence: \(text)")
    }
    self = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}

// MARK: - Russian plurals

/// Russian plural forms: `RussianPlural.pick(5, "день", "дня", "дней") == "дней"`
/// (1, 21 → one; 2–4, 22–24 → few; 0, 5–20, 11–14 → many). Negative numbers use their magnitude.
public enum RussianPlural {
  public static func pick(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
    let m = n.magnitude
    if (11...14).contains(m % 100) { return many }
    switch m % 10 {
    case 1: return one
    case 2, 3, 4: return few
    default: return many
    }
  }
}
