import Foundation
import Testing

@testable import CRMCore

private let berlin = TimeZone(identifier: "Europe/Berlin")!
private let newYork = TimeZone(identifier: "America/New_York")!
private let utcZone = TimeZone(identifier: "UTC")!

/// A wall-clock time in `zone`, built with Foundation's own calendar (never at a DST edge).
private func wall(
  _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0,
  _ zone: TimeZone = moscow
) -> Date {
  var calendar = Calendar(identifier: .gregorian)
  calendar.timeZone = zone
  return calendar.date(
    from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}

private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0)
  -> Date
{
  wall(year, month, day, hour, minute, utcZone)
}

/// 2026-11-23 14:30 in Moscow, a Monday.
private let mondayAfternoon = TimeContext(now: utc(2026, 11, 23, 11, 30), timeZone: moscow)

private func parse(
  _ text: String, _ ctx: TimeContext = mondayAfternoon, _ language: Language = .en
) throws -> Date {
  try When.parse(text, in: ctx, language: language, field: "--at")
}

/// The message `When.parse` fails with, or a description of what it parsed instead.
private func problem(
  _ text: String, _ language: Language, _ ctx: TimeContext = mondayAfternoon
) -> String {
  do throws(CRMError) {
    let date = try When.parse(text, in: ctx, language: language, field: "--at")
    return "parsed as \(date)"
  } catch {
    return error.message(language)
  }
}

private func durationProblem(_ text: String, _ language: Language) -> String {
  do throws(CRMError) {
    return "parsed as \(try When.duration(text, language: language, field: "--for"))"
  } catch {
    return error.message(language)
  }
}

private func calendar(_ zone: TimeZone) -> Calendar {
  TimeContext(now: Date(timeIntervalSince1970: 0), timeZone: zone).calendar
}

@Suite struct WhenTests {
  func expectParses(
    _ cases: [(String, Date)], _ ctx: TimeContext = mondayAfternoon,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    for language in Language.allCases {
      for (text, expected) in cases {
        let got = try When.parse(text, in: ctx, language: language, field: "--at")
        #expect(got == expected, "«\(text)»", sourceLocation: sourceLocation)
      }
    }
  }

  @Test func absoluteDatesAndTimes() throws {
    try expectParses([
      ("2026-11-25 10:00", wall(2026, 11, 25, 10)),
      ("2026-11-25T10:00", wall(2026, 11, 25, 10)),
      ("2026-11-25t16:45:30", wall(2026, 11, 25, 16, 45).addingTimeInterval(30)),
      ("2026-11-25", wall(2026, 11, 25, 10)),
      ("2026-1-5 9:05", wall(2026, 1, 5, 9, 5)),
      ("25.11.2026 10:00", wall(2026, 11, 25, 10)),
      ("25.11.2026", wall(2026, 11, 25, 10)),
      ("  25.11.2026    18:15 ", wall(2026, 11, 25, 18, 15)),
      ("25.11.26 9:05", wall(2026, 11, 25, 9, 5)),
      ("25.11 10:00", wall(2026, 11, 25, 10)),
      ("25.11", wall(2026, 11, 25, 10)),
      ("5.1", wall(2027, 1, 5, 10)),
      ("01.01 00:00", wall(2027, 1, 1, 0)),
      ("25.11.2026 в 15:00", wall(2026, 11, 25, 15)),
      ("2026-11-25 at 15:00", wall(2026, 11, 25, 15)),
      ("25 ноября 15:00", wall(2026, 11, 25, 15)),
      ("25 НОЯБРЯ", wall(2026, 11, 25, 10)),
      ("nov 25", wall(2026, 11, 25, 10)),
      ("31 December 2027 18:00", wall(2027, 12, 31, 18)),
      ("8 марта 2027 г.", wall(2027, 3, 8, 10)),
      ("2020-02-29 12:00", wall(2020, 2, 29, 12)),
    ])
  }

  @Test func aDateWithoutAYearIsThisYearUnlessItPassedMoreThanADayAgo() throws {
    try expectParses([
      // Today 10:00 passed 4.5 hours ago: still today.
      ("23.11", wall(2026, 11, 23, 10)),
      // Yesterday 15:00 is 23.5 hours ago: this year; yesterday 10:00 is 28.5 hours ago: next.
      ("22.11 15:00", wall(2026, 11, 22, 15)),
      ("22.11", wall(2027, 11, 22, 10)),
      ("22 ноября", wall(2027, 11, 22, 10)),
      ("31.12", wall(2026, 12, 31, 10)),
      ("15.03", wall(2027, 3, 15, 10)),
    ])
  }

  @Test func defaultTimeIsUsedForDatesAndDayWordsOnly() throws {
    let ctx = mondayAfternoon
    func atHalfPastNine(_ text: String) throws -> Date {
      try When.parse(
        text, in: ctx, language: .ru, field: "--at", defaultHour: 9, defaultMinute: 30)
    }
    #expect(try atHalfPastNine("25.11") == wall(2026, 11, 25, 9, 30))
    #expect(try atHalfPastNine("завтра") == wall(2026, 11, 24, 9, 30))
    #expect(try atHalfPastNine("пятница") == wall(2026, 11, 27, 9, 30))
    #expect(try atHalfPastNine("завтра 18:00") == wall(2026, 11, 24, 18))
    #expect(try atHalfPastNine("+3d") == wall(2026, 11, 26, 14, 30))
  }

  @Test func aLoneTimeIsTodayOrTomorrowWhenPassed() throws {
    try expectParses([
      ("15:30", wall(2026, 11, 23, 15, 30)),
      ("23:59", wall(2026, 11, 23, 23, 59)),
      ("14:30", wall(2026, 11, 23, 14, 30)),  // exactly now has not passed
      ("14:29", wall(2026, 11, 24, 14, 29)),
      ("9:05", wall(2026, 11, 24, 9, 5)),
      ("0:00", wall(2026, 11, 24, 0, 0)),
      ("в 18:00", wall(2026, 11, 23, 18)),
      ("at 8:00", wall(2026, 11, 24, 8)),
    ])
  }

  @Test func relativeOffsets() throws {
    let now = mondayAfternoon.now
    try expectParses([
      ("+3d", wall(2026, 11, 26, 14, 30)),
      ("+2h", now.addingTimeInterval(2 * 3600)),
      ("+30m", now.addingTimeInterval(30 * 60)),
      ("+1w", wall(2026, 11, 30, 14, 30)),
      ("+2mo", wall(2027, 1, 23, 14, 30)),
      ("+1y", wall(2027, 11, 23, 14, 30)),
      ("+1h30m", now.addingTimeInterval(90 * 60)),
      ("+ 3 d", wall(2026, 11, 26, 14, 30)),
      ("+3дн", wall(2026, 11, 26, 14, 30)),
      ("+2 ч", now.addingTimeInterval(2 * 3600)),
      ("+15 мин", now.addingTimeInterval(15 * 60)),
      ("-2h", now.addingTimeInterval(-2 * 3600)),
      ("-1d", wall(2026, 11, 22, 14, 30)),
      ("+3d 15:00", wall(2026, 11, 26, 15)),
      ("+3d в 9:00", wall(2026, 11, 26, 9)),
      ("+1w 15:00", wall(2026, 11, 30, 15)),
      ("+2mo 08:00", wall(2027, 1, 23, 8)),
      ("in 3 days", wall(2026, 11, 26, 14, 30)),
      ("in 2 hours", now.addingTimeInterval(2 * 3600)),
      ("in an hour", now.addingTimeInterval(3600)),
      ("in a week", wall(2026, 11, 30, 14, 30)),
      ("in two days at 15:00", wall(2026, 11, 25, 15)),
      ("in 3 days and 2 hours", wall(2026, 11, 26, 16, 30)),
      ("через 3 дня", wall(2026, 11, 26, 14, 30)),
      ("через 2 часа", now.addingTimeInterval(2 * 3600)),
      ("через неделю", wall(2026, 11, 30, 14, 30)),
      ("через час", now.addingTimeInterval(3600)),
      ("через полчаса", now.addingTimeInterval(1800)),
      ("через 45 минут", now.addingTimeInterval(45 * 60)),
      ("через 2 недели", wall(2026, 12, 7, 14, 30)),
      ("через месяц", wall(2026, 12, 23, 14, 30)),
      ("через год", wall(2027, 11, 23, 14, 30)),
      ("через два дня", wall(2026, 11, 25, 14, 30)),
      ("через пару дней", wall(2026, 11, 25, 14, 30)),
      ("через 5 дней", wall(2026, 11, 28, 14, 30)),
      ("Через 3 Дня В 15:00", wall(2026, 11, 26, 15)),
      ("через 1 час 30 минут", now.addingTimeInterval(90 * 60)),
      ("2 дня назад", wall(2026, 11, 21, 14, 30)),
      ("3 days ago", wall(2026, 11, 20, 14, 30)),
      ("час назад", now.addingTimeInterval(-3600)),
    ])
  }

  @Test func dayWords() throws {
    let now = mondayAfternoon.now
    try expectParses([
      ("now", now),
      ("сейчас", now),
      ("  NOW ", now),
      ("today", wall(2026, 11, 23, 10)),
      ("сегодня 18:00", wall(2026, 11, 23, 18)),
      ("tomorrow", wall(2026, 11, 24, 10)),
      ("tomorrow 10:00", wall(2026, 11, 24, 10)),
      ("Tomorrow at 16:15", wall(2026, 11, 24, 16, 15)),
      ("завтра 10:00", wall(2026, 11, 24, 10)),
      ("завтра в 10:00", wall(2026, 11, 24, 10)),
      ("ЗАВТРА   В   9:30", wall(2026, 11, 24, 9, 30)),
      ("на завтра", wall(2026, 11, 24, 10)),
      ("10:00 завтра", wall(2026, 11, 24, 10)),
      ("day after tomorrow", wall(2026, 11, 25, 10)),
      ("the day after tomorrow 9:00", wall(2026, 11, 25, 9)),
      ("послезавтра", wall(2026, 11, 25, 10)),
      ("послезавтра в 17:00", wall(2026, 11, 25, 17)),
      ("yesterday 15:00", wall(2026, 11, 22, 15)),
      ("вчера", wall(2026, 11, 22, 10)),
      ("позавчера 12:00", wall(2026, 11, 21, 12)),
    ])
  }

  @Test func bareHoursAfterAPrepositionAndTwelveHourTimes() throws {
    try expectParses([
      ("завтра в 10", wall(2026, 11, 24, 10)),
      ("в пятницу в 15", wall(2026, 11, 27, 15)),
      ("через 3 дня в 9", wall(2026, 11, 26, 9)),
      ("tomorrow at 9", wall(2026, 11, 24, 9)),
      ("в 18", wall(2026, 11, 23, 18)),
      ("3pm", wall(2026, 11, 23, 15)),
      ("tomorrow 3:30 pm", wall(2026, 11, 24, 15, 30)),
      ("friday at 11am", wall(2026, 11, 27, 11)),
      ("25.11 12am", wall(2026, 11, 25, 0)),
      ("25.11 12pm", wall(2026, 11, 25, 12)),
    ])
    // Without a preposition a lone number is not a time.
    #expect(problem("завтра 10", .en).contains("cannot read «завтра 10»"))
    #expect(problem("13pm", .en).contains("with am/pm hours are 1–12"))
    #expect(problem("завтра в 25", .ru).contains("часы от 0 до 23"))
  }

  @Test func weekdaysMeanTheNextSuchDayStrictlyAfterToday() throws {
    // Today is Monday 23.11.2026: Tuesday is tomorrow, Monday is a week later.
    let names: [[String]] = [
      ["monday", "mon", "понедельник", "пн", "в понедельник", "Пн."],
      ["tuesday", "tue", "вторник", "вт", "во вторник"],
      ["wednesday", "wed", "среда", "ср", "в среду", "среду"],
      ["thursday", "thu", "четверг", "чт", "в четверг"],
      ["friday", "fri", "пятница", "пт", "в пятницу", "пятницу", "on Friday"],
      ["saturday", "sat", "суббота", "сб", "в субботу", "субботу"],
      ["sunday", "sun", "воскресенье", "вс", "в воскресенье", "ВОСКРЕСЕНЬЕ"],
    ]
    let days = [30, 24, 25, 26, 27, 28, 29]
    var cases: [(String, Date)] = []
    for (index, list) in names.enumerated() {
      for name in list { cases.append((name, wall(2026, 11, days[index], 10))) }
    }
    try expectParses(cases)
    try expectParses([
      ("пятница 15:00", wall(2026, 11, 27, 15)),
      ("в пятницу в 15:00", wall(2026, 11, 27, 15)),
      ("friday 15:00", wall(2026, 11, 27, 15)),
      ("fri at 9:05", wall(2026, 11, 27, 9, 5)),
      ("monday 8:00", wall(2026, 11, 30, 8)),
    ])
    // On a Sunday, "monday" is tomorrow.
    let sunday = TimeContext(now: wall(2026, 11, 29, 20), timeZone: moscow)
    #expect(try parse("monday", sunday) == wall(2026, 11, 30, 10))
    #expect(try parse("вс", sunday) == wall(2026, 12, 6, 10))
  }

  @Test func monthEndsAndYearEnds() throws {
    let cal = calendar(moscow)
    #expect(CalendarMath.addMonths(wall(2026, 1, 31, 10), 1, cal) == wall(2026, 2, 28, 10))
    #expect(CalendarMath.addMonths(wall(2026, 1, 31, 10), 2, cal) == wall(2026, 3, 31, 10))
    #expect(CalendarMath.addMonths(wall(2026, 8, 31, 10), 1, cal) == wall(2026, 9, 30, 10))
    #expect(CalendarMath.addMonths(wall(2026, 3, 31, 10), -1, cal) == wall(2026, 2, 28, 10))
    #expect(CalendarMath.addMonths(wall(2026, 12, 15, 10), 1, cal) == wall(2027, 1, 15, 10))
    #expect(CalendarMath.addMonths(wall(2026, 1, 15, 10), -1, cal) == wall(2025, 12, 15, 10))
    #expect(CalendarMath.addDays(wall(2026, 11, 30, 10), 1, cal) == wall(2026, 12, 1, 10))
    #expect(CalendarMath.addDays(wall(2026, 12, 31, 23), 1, cal) == wall(2027, 1, 1, 23))
    #expect(CalendarMath.addDays(wall(2027, 1, 1, 8), -1, cal) == wall(2026, 12, 31, 8))

    let lastOfNovember = TimeContext(now: wall(2026, 11, 30, 12), timeZone: moscow)
    #expect(try parse("+1d", lastOfNovember) == wall(2026, 12, 1, 12))
    #expect(try parse("завтра", lastOfNovember) == wall(2026, 12, 1, 10))
    let newYearsEve = TimeContext(now: wall(2026, 12, 31, 12), timeZone: moscow)
    #expect(try parse("+1d", newYearsEve) == wall(2027, 1, 1, 12))
    #expect(try parse("tomorrow 9:00", newYearsEve) == wall(2027, 1, 1, 9))
    #expect(try parse("+2mo", newYearsEve) == wall(2027, 2, 28, 12))
    #expect(try parse("10:00", newYearsEve) == wall(2027, 1, 1, 10))
    let endOfJanuary = TimeContext(now: wall(2028, 1, 31, 9), timeZone: moscow)
    #expect(try parse("+1mo", endOfJanuary) == wall(2028, 2, 29, 9))
    #expect(try parse("через месяц в 15:00", endOfJanuary) == wall(2028, 2, 29, 15))
  }

  @Test func leapDays() throws {
    let cal = calendar(moscow)
    #expect(try parse("29.02.2028") == wall(2028, 2, 29, 10))
    #expect(try parse("2028-02-29 12:00") == wall(2028, 2, 29, 12))
    #expect(problem("29.02.2027", .en).contains("29.02.2027 is not a date"))
    #expect(problem("29.02.2027", .en).contains("February 2027 has 28 days"))
    #expect(problem("29.02.2027", .ru).contains("в феврале 2027 года 28 дней"))
    #expect(problem("2100-02-29", .en).contains("February 2100 has 28 days"))
    #expect(try parse("2000-02-29") == wall(2000, 2, 29, 10))

    let monthly = Recurrence(every: 1, unit: .month)
    let anchor = wall(2028, 1, 31, 10)
    #expect(monthly.occurrence(1, anchor: anchor, cal) == wall(2028, 2, 29, 10))
    #expect(monthly.occurrence(2, anchor: anchor, cal) == wall(2028, 3, 31, 10))
    let leapDay = wall(2028, 2, 29, 10)
    #expect(CalendarMath.addMonths(leapDay, 12, cal) == wall(2029, 2, 28, 10))
    let yearly = Recurrence(every: 12, unit: .month)
    #expect(yearly.occurrence(1, anchor: leapDay, cal) == wall(2029, 2, 28, 10))
    #expect(yearly.occurrence(3, anchor: leapDay, cal) == wall(2031, 2, 28, 10))
    #expect(yearly.occurrence(4, anchor: leapDay, cal) == wall(2032, 2, 29, 10))
    #expect(CalendarMath.addDays(wall(2028, 2, 28, 10), 1, cal) == leapDay)
    #expect(CalendarMath.addDays(wall(2027, 2, 28, 10), 1, cal) == wall(2027, 3, 1, 10))
  }
}

extension WhenTests {
  @Suite struct Errors {
    func expectProblem(
      _ text: String, _ english: [String], _ russian: [String],
      sourceLocation: SourceLocation = #_sourceLocation
    ) {
      let en = problem(text, .en)
      let ru = problem(text, .ru)
      #expect(en.hasPrefix("--at: "), "\(en)", sourceLocation: sourceLocation)
      for part in english {
        #expect(en.contains(part), "«\(text)»: \(en)", sourceLocation: sourceLocation)
      }
      for part in russian {
        #expect(ru.contains(part), "«\(text)»: \(ru)", sourceLocation: sourceLocation)
      }
    }

    @Test func dateThatDoesNotExist() {
      expectProblem(
        "31.02.2026", ["31.02.2026 is not a date: February 2026 has 28 days"],
        ["31.02.2026 — такой даты нет: в феврале 2026 года 28 дней"])
      expectProblem(
        "2026-04-31 10:00", ["2026-04-31 is not a date: April 2026 has 30 days"],
        ["в апреле 2026 года 30 дней"])
      // No year given: 32.01 would be next January.
      expectProblem(
        "32.01", ["32.01 is not a date: January 2027 has 31 days"],
        ["в январе 2027 года 31 день"])
      expectProblem("25.13.2026", ["months are 1–12"], ["месяц — от 1 до 12"])
      expectProblem("00.05.2026", ["May 2026 has 31 days"], ["в мае 2026 года 31 день"])
      expectProblem("1899-12-31", ["between 1900 and 2999"], ["от 1900 до 2999"])
    }

    @Test func timeThatDoesNotExist() {
      for text in ["25:00", "12:60", "завтра 24:00", "25.11.2026 10:75", "пятница 99:00"] {
        expectProblem(
          text, ["is not a time", "hours are 0–23, minutes 0–59"],
          ["такого времени нет", "часы от 0 до 23, минуты от 0 до 59"])
      }
      expectProblem("25:00", ["«25:00»"], ["«25:00»"])
    }

    @Test func unreadableTextListsTheFormsThatWork() {
      for text in ["xyz", "через много", "next tuesday-ish", "25/11/2026", "в", "+d"] {
        expectProblem(
          text,
          [
            "cannot read «\(text)»", "2026-11-25 10:00", "25.11.2026 10:00", "+3d", "+2h",
            "tomorrow 10:00", "friday 15:00",
          ],
          [
            "не удаётся прочитать «\(text)»", "25.11.2026 10:00", "+3d", "через 3 дня",
            "завтра 10:00", "пятница 15:00",
          ])
      }
    }

    @Test func relativeOffsetMistakes() {
      expectProblem(
        "+3x", ["cannot read «+3x»", "«x» is not a unit", "d (days)", "mo (months)"],
        ["«x» — не единица времени", "дн", "мес"])
      expectProblem("+3", ["add a unit", "+3d"], ["добавьте единицу", "+3 дн"])
      expectProblem("через 3 попугая", ["«попугая» is not a unit"], ["«попугая» — не единица"])
      expectProblem(
        "+2h 15:00", ["a time of day can follow only days, weeks or months"],
        ["время суток можно указать только после дней, недель или месяцев"])
      expectProblem("+999999d", ["too far away", "100 years"], ["слишком далеко", "100 лет"])
      expectProblem("+2.5d", ["cannot read «+2.5d»"], ["не удаётся прочитать «+2.5d»"])
      expectProblem("сейчас 10:00", ["today 10:00"], ["сегодня 10:00"])
    }

    @Test func emptyText() {
      for text in ["", "   ", "\t"] {
        expectProblem(text, ["is empty", "tomorrow 10:00"], ["пусто", "завтра 10:00"])
      }
    }

    @Test func errorsAreInvalidInputNamingTheField() {
      do throws(CRMError) {
        _ = try When.parse("xyz", in: mondayAfternoon, language: .en, field: "--due")
        Issue.record("parsed xyz")
      } catch {
        guard case .invalid(let field, _) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(field == "--due")
        #expect(error.exitCode == 1)
      }
    }
  }

  @Suite struct Durations {
    @Test func lengthsOfTime() throws {
      let cases: [(String, TimeInterval)] = [
        ("15m", 900), ("2h", 7200), ("1d", 86_400), ("1w", 604_800), ("+3d", 259_200),
        ("1h30m", 5400), ("90", 5400), ("0", 0), ("15 мин", 900), ("2 ч", 7200),
        ("3 дн", 259_200), ("1 нед", 604_800), ("1ч30", 5400), ("1ч 30м", 5400),
        ("1:30", 5400), ("0:45", 2700), ("1.5h", 5400), ("1,5 ч", 5400), ("полчаса", 1800),
        ("час", 3600), ("2 часа 15 минут", 8100), ("  45 MIN ", 2700), ("2 hours", 7200),
        ("a week", 604_800), ("5 дней", 432_000),
      ]
      for language in Language.allCases {
        for (text, expected) in cases {
          #expect(
            try When.duration(text, language: language, field: "--for") == expected, "«\(text)»")
        }
      }
    }

    @Test func durationErrors() {
      func expect(_ text: String, _ english: String, _ russian: String) {
        let en = durationProblem(text, .en)
        let ru = durationProblem(text, .ru)
        #expect(en.hasPrefix("--for: ") && en.contains(english), "«\(text)»: \(en)")
        #expect(ru.contains(russian), "«\(text)»: \(ru)")
      }
      expect("", "is empty", "пусто")
      expect("xyz", "cannot read «xyz» as a length of time; use 15m, 2h", "как длительность")
      expect("1mo", "months and years have no fixed length", "нет постоянной длины")
      expect("2 месяца", "months and years have no fixed length", "нет постоянной длины")
      expect("-5m", "cannot be negative", "не может быть отрицательной")
      expect("5x", "«x» is not a unit", "«x» — не единица времени")
      expect("1:75", "minutes are 0–59", "минуты — от 0 до 59")
      expect("99999w", "too long", "слишком долго")
      expect("5 5", "add a unit", "добавьте единицу")
    }
  }

  @Suite struct CalendarHelpers {
    let cal = calendar(moscow)

    @Test func contextCalendarIsMondayFirstGregorianInTheZone() {
      let cal = TimeContext(now: Date(timeIntervalSince1970: 0), timeZone: berlin).calendar
      #expect(cal.identifier == .gregorian)
      #expect(cal.firstWeekday == 2)
      #expect(cal.minimumDaysInFirstWeek == 4)
      #expect(cal.timeZone == berlin)
    }

    @Test func daysWeeksAndMonths() {
      let thursday = wall(2026, 11, 26, 15, 45)
      #expect(CalendarMath.startOfDay(thursday, cal) == wall(2026, 11, 26))
      #expect(CalendarMath.startOfWeek(thursday, cal) == wall(2026, 11, 23))
      #expect(CalendarMath.startOfWeek(wall(2026, 11, 23), cal) == wall(2026, 11, 23))
      #expect(CalendarMath.startOfWeek(wall(2026, 11, 29, 23, 59), cal) == wall(2026, 11, 23))
      #expect(CalendarMath.startOfWeek(wall(2027, 1, 2), cal) == wall(2026, 12, 28))
      #expect(CalendarMath.startOfMonth(thursday, cal) == wall(2026, 11, 1))
      #expect(CalendarMath.weekday(thursday, cal) == 4)
      #expect(CalendarMath.weekday(wall(2026, 11, 29), cal) == 7)
      #expect(CalendarMath.daysBetween(mondayAfternoon.now, wall(2026, 11, 24, 0, 5), cal) == 1)
      #expect(CalendarMath.daysBetween(wall(2026, 12, 31, 23), wall(2027, 1, 1, 0), cal) == 1)
      #expect(CalendarMath.daysInMonth(year: 2028, month: 2) == 29)
      #expect(CalendarMath.date(year: 2026, month: 2, day: 31, cal) == nil)
      #expect(CalendarMath.date(year: 2026, month: 11, day: 25, hour: 24, cal) == nil)
      #expect(
        CalendarMath.date(year: 2026, month: 11, day: 25, hour: 9, minute: 5, cal)
          == wall(2026, 11, 25, 9, 5))
      let interval = CalendarMath.dayInterval(thursday, cal)
      #expect(interval.start == wall(2026, 11, 26) && interval.end == wall(2026, 11, 27))
    }

    @Test func monthGridIsSixMondayFirstWeeks() {
      let november = CalendarMath.monthGrid(wall(2026, 11, 17, 12), cal)
      #expect(november.count == 42)
      #expect(november.first == wall(2026, 10, 26))
      #expect(november[6] == wall(2026, 11, 1))
      #expect(november.last == wall(2026, 12, 6))
      for (index, day) in november.enumerated() {
        #expect(CalendarMath.weekday(day, cal) == index % 7 + 1)
        #expect(CalendarMath.startOfDay(day, cal) == day)
      }
      // June 2026 starts on a Monday: the grid starts on the 1st itself.
      let june = CalendarMath.monthGrid(wall(2026, 6, 30, 23, 59), cal)
      #expect(june.count == 42)
      #expect(june.first == wall(2026, 6, 1))
      #expect(june.last == wall(2026, 7, 12))
      // February 2027 fits four weeks exactly; still six rows.
      let february = CalendarMath.monthGrid(wall(2027, 2, 1), cal)
      #expect(february.count == 42)
      #expect(february.first == wall(2027, 2, 1))
    }

    @Test func moscowHasNoDST() throws {
      var day = wall(2026, 1, 1)
      for _ in 0..<365 {
        let interval = CalendarMath.dayInterval(day, cal)
        #expect(interval.duration == 86_400)
        day = interval.end
      }
      #expect(day == wall(2027, 1, 1))
      let ctx = TimeContext(now: wall(2026, 3, 28, 10), timeZone: moscow)
      #expect(try parse("+1d", ctx).timeIntervalSince(ctx.now) == 86_400)
    }
  }

  @Suite struct DaylightSaving {
    // Berlin: 2026-03-29 02:00 CET → 03:00 CEST (01:00 UTC);
    //         2026-10-25 03:00 CEST → 02:00 CET (01:00 UTC).
    // New York: 2026-03-08 02:00 EST → 03:00 EDT (07:00 UTC);
    //           2026-11-01 02:00 EDT → 01:00 EST (06:00 UTC).
    let berlinCal = calendar(berlin)
    let newYorkCal = calendar(newYork)

    @Test func plusOneDayKeepsTheWallClock() throws {
      let beforeSpring = TimeContext(now: utc(2026, 3, 28, 9), timeZone: berlin)  // 10:00 CET
      #expect(try parse("+1d", beforeSpring) == utc(2026, 3, 29, 8))  // 10:00 CEST
      #expect(try parse("tomorrow", beforeSpring) == utc(2026, 3, 29, 8))
      #expect(try parse("+24h", beforeSpring) == utc(2026, 3, 29, 9))  // 11:00 CEST
      #expect(try parse("+1w", beforeSpring) == utc(2026, 4, 4, 8))
      let beforeAutumn = TimeContext(now: utc(2026, 10, 24, 8), timeZone: berlin)  // 10:00 CEST
      #expect(try parse("+1d", beforeAutumn) == utc(2026, 10, 25, 9))  // 10:00 CET
      #expect(try parse("завтра 10:00", beforeAutumn) == utc(2026, 10, 25, 9))
      #expect(try parse("+1d", beforeAutumn).timeIntervalSince(beforeAutumn.now) == 25 * 3600)

      let newYorkSpring = TimeContext(now: utc(2026, 3, 7, 15), timeZone: newYork)  // 10:00 EST
      #expect(try parse("+1d", newYorkSpring) == utc(2026, 3, 8, 14))  // 10:00 EDT
      let newYorkAutumn = TimeContext(now: utc(2026, 10, 31, 14), timeZone: newYork)  // 10 EDT
      #expect(try parse("+1d", newYorkAutumn) == utc(2026, 11, 1, 15))  // 10:00 EST
      #expect(try parse("sunday 10:00", newYorkAutumn) == utc(2026, 11, 1, 15))

      #expect(CalendarMath.addDays(utc(2026, 3, 28, 9), 1, berlinCal) == utc(2026, 3, 29, 8))
      #expect(CalendarMath.addDays(utc(2026, 3, 30, 8), -2, berlinCal) == utc(2026, 3, 28, 9))
      #expect(CalendarMath.addMonths(utc(2026, 2, 28, 9), 1, berlinCal) == utc(2026, 3, 28, 9))
      #expect(CalendarMath.addMonths(utc(2026, 3, 1, 9), 1, berlinCal) == utc(2026, 4, 1, 8))
    }

    @Test func dayIntervalIs23Or25HoursOnChangeDays() {
      let spring = CalendarMath.dayInterval(utc(2026, 3, 29, 12), berlinCal)
      #expect(spring.start == utc(2026, 3, 28, 23))
      #expect(spring.duration == 23 * 3600)
      let autumn = CalendarMath.dayInterval(utc(2026, 10, 25, 12), berlinCal)
      #expect(autumn.start == utc(2026, 10, 24, 22))
      #expect(autumn.duration == 25 * 3600)
      #expect(CalendarMath.dayInterval(utc(2026, 3, 28, 12), berlinCal).duration == 24 * 3600)
      #expect(CalendarMath.dayInterval(utc(2026, 3, 8, 12), newYorkCal).duration == 23 * 3600)
      #expect(CalendarMath.dayInterval(utc(2026, 11, 1, 12), newYorkCal).duration == 25 * 3600)
      #expect(CalendarMath.startOfDay(utc(2026, 11, 1, 20), newYorkCal) == utc(2026, 11, 1, 4))
    }

    @Test func gapTimesMoveToTheMomentClocksJumpAndRepeatedTimesToTheEarlierInstant() throws {
      let ctx = TimeContext(now: utc(2026, 3, 20, 9), timeZone: berlin)
      // 02:30 does not exist on 29 March in Berlin: the first valid instant is 03:00 CEST.
      #expect(try parse("2026-03-29 02:30", ctx) == utc(2026, 3, 29, 1))
      #expect(try parse("29.03.2026 02:00", ctx) == utc(2026, 3, 29, 1))
      #expect(try parse("29.03.2026 01:59", ctx) == utc(2026, 3, 29, 0, 59))
      #expect(try parse("29.03.2026 03:00", ctx) == utc(2026, 3, 29, 1))
      // 02:30 happens twice on 25 October: the earlier one is still summer time.
      #expect(try parse("2026-10-25 02:30", ctx) == utc(2026, 10, 25, 0, 30))
      #expect(try parse("25.10.2026 03:00", ctx) == utc(2026, 10, 25, 2))

      let newYorkCtx = TimeContext(now: utc(2026, 3, 1, 15), timeZone: newYork)
      #expect(try parse("2026-03-08 02:30", newYorkCtx) == utc(2026, 3, 8, 7))
      #expect(try parse("2026-11-01 01:30", newYorkCtx) == utc(2026, 11, 1, 5, 30))

      // The same rule for calendar arithmetic; the wall clock comes back the day after.
      let beforeGap = utc(2026, 3, 28, 1, 30)  // 02:30 CET
      #expect(CalendarMath.addDays(beforeGap, 1, berlinCal) == utc(2026, 3, 29, 1))
      #expect(CalendarMath.addDays(beforeGap, 2, berlinCal) == utc(2026, 3, 30, 0, 30))
      let beforeRepeat = utc(2026, 10, 24, 0, 30)  // 02:30 CEST
      #expect(CalendarMath.addDays(beforeRepeat, 1, berlinCal) == utc(2026, 10, 25, 0, 30))
      let daily = Recurrence(every: 1, unit: .day)
      #expect(daily.occurrence(1, anchor: beforeGap, berlinCal) == utc(2026, 3, 29, 1))
      #expect(daily.occurrence(2, anchor: beforeGap, berlinCal) == utc(2026, 3, 30, 0, 30))
      // The second 02:30 (CET) plus zero days is itself.
      let secondHalf = utc(2026, 10, 25, 1, 30)
      #expect(CalendarMath.addDays(secondHalf, 0, berlinCal) == secondHalf)
    }

    @Test func monthGridAcrossTheChange() {
      let march = CalendarMath.monthGrid(utc(2026, 3, 15, 12), berlinCal)
      #expect(march.first == utc(2026, 2, 22, 23))
      let index = march.firstIndex(of: utc(2026, 3, 28, 23))!
      #expect(march[index + 1].timeIntervalSince(march[index]) == 23 * 3600)
      #expect(march[index + 2].timeIntervalSince(march[index + 1]) == 24 * 3600)
    }
  }

  @Suite struct Recurrences {
    let cal = calendar(moscow)

    @Test func readsStorageFormsAndPhrases() {
      let cases: [(String, String)] = [
        ("3d", "3d"), ("2w", "2w"), ("1m", "1m"), ("12m", "12m"), (" 3 d ", "3d"),
        ("3 days", "3d"), ("2 weeks", "2w"), ("6 months", "6m"), ("1 month", "1m"),
        ("daily", "1d"), ("weekly", "1w"), ("monthly", "1m"), ("every day", "1d"),
        ("every 3 days", "3d"), ("every other week", "2w"), ("every 2 years", "24m"),
        ("quarterly", "3m"), ("yearly", "12m"), ("fortnightly", "2w"),
        ("каждые 3 дня", "3d"), ("каждый день", "1d"), ("каждую неделю", "1w"),
        ("каждый месяц", "1m"), ("каждые 2 недели", "2w"), ("каждые ДВА дня", "2d"),
        ("Ежедневно", "1d"), ("еженедельно", "1w"), ("ежемесячно", "1m"),
        ("ежеквартально", "3m"), ("ежегодно", "12m"), ("раз в неделю", "1w"),
        ("раз в 2 недели", "2w"), ("раз в месяц", "1m"), ("каждые 5 дней", "5d"),
        ("365d", "365d"), ("every quarter", "3m"), ("каждый квартал", "3m"),
      ]
      for (text, stored) in cases {
        #expect(Recurrence(text)?.text == stored, "«\(text)»")
      }
      for text in ["", "0d", "366d", "3h", "15 min", "soon", "every", "каждые", "3x", "-1d"] {
        #expect(Recurrence(text) == nil, "«\(text)»")
      }
    }

    @Test func describesWithRussianPlurals() {
      let cases: [(String, String, String)] = [
        ("1d", "every day", "каждый день"), ("2d", "every 2 days", "каждые 2 дня"),
        ("5d", "every 5 days", "каждые 5 дней"), ("11d", "every 11 days", "каждые 11 дней"),
        ("21d", "every 21 days", "каждый 21 день"), ("22d", "every 22 days", "каждые 22 дня"),
        ("1w", "every week", "каждую неделю"), ("2w", "every 2 weeks", "каждые 2 недели"),
        ("5w", "every 5 weeks", "каждые 5 недель"), ("21w", "every 21 weeks", "каждую 21 неделю"),
        ("1m", "every month", "каждый месяц"), ("3m", "every 3 months", "каждые 3 месяца"),
        ("12m", "every 12 months", "каждые 12 месяцев"),
      ]
      for (stored, english, russian) in cases {
        let recurrence = Recurrence(stored)
        #expect(recurrence?.describe(.en) == english)
        #expect(recurrence?.describe(.ru) == russian)
      }
      // What is shown can be typed back.
      for unit in [Recurrence.Unit.day, .week, .month] {
        for every in 1...40 {
          let recurrence = Recurrence(every: every, unit: unit)
          #expect(Recurrence(recurrence.describe(.en)) == recurrence)
          #expect(Recurrence(recurrence.describe(.ru)) == recurrence)
          #expect(Recurrence(recurrence.text) == recurrence)
        }
      }
    }

    @Test func occurrencesComeFromTheAnchor() {
      let anchor = wall(2026, 1, 31, 10)
      let monthly = Recurrence(every: 1, unit: .month)
      let expected = [
        wall(2026, 1, 31, 10), wall(2026, 2, 28, 10), wall(2026, 3, 31, 10),
        wall(2026, 4, 30, 10), wall(2026, 5, 31, 10),
      ]
      #expect((0..<5).map { monthly.occurrence($0, anchor: anchor, cal) } == expected)
      let fortnightly = Recurrence(every: 2, unit: .week)
      #expect(fortnightly.occurrence(3, anchor: anchor, cal) == wall(2026, 3, 14, 10))
      let everyThreeDays = Recurrence(every: 3, unit: .day)
      #expect(everyThreeDays.occurrence(10, anchor: anchor, cal) == wall(2026, 3, 2, 10))
    }

    @Test func nextIsStrictlyAfter() {
      let anchor = wall(2026, 1, 31, 10)
      let monthly = Recurrence(every: 1, unit: .month)
      #expect(monthly.next(after: wall(2025, 12, 1), anchor: anchor, cal) == anchor)
      #expect(monthly.next(after: anchor, anchor: anchor, cal) == wall(2026, 2, 28, 10))
      #expect(monthly.next(after: wall(2026, 3, 15), anchor: anchor, cal) == wall(2026, 3, 31, 10))
      #expect(
        monthly.next(after: wall(2026, 3, 31, 10), anchor: anchor, cal) == wall(2026, 4, 30, 10))
      let everyThreeDays = Recurrence(every: 3, unit: .day)
      #expect(
        everyThreeDays.next(after: wall(2026, 2, 10, 9), anchor: anchor, cal)
          == wall(2026, 2, 12, 10))
    }

    @Test func nextAgreesWithCountingAcrossDST() {
      let berlinCal = calendar(berlin)
      let anchor = utc(2026, 1, 31, 1, 30)  // 02:30 CET: skipped on 29 March
      for recurrence in [
        Recurrence(every: 1, unit: .day), Recurrence(every: 3, unit: .day),
        Recurrence(every: 1, unit: .week), Recurrence(every: 1, unit: .month),
        Recurrence(every: 2, unit: .month),
      ] {
        let series = (0..<400).map { recurrence.occurrence($0, anchor: anchor, berlinCal) }
        for step in stride(from: -86_400.0, to: 300 * 86_400, by: 37_000) {
          let date = anchor.addingTimeInterval(step)
          let counted = series.first { $0 > date }!
          #expect(
            recurrence.next(after: date, anchor: anchor, berlinCal) == counted,
            "\(recurrence.text) after \(date)")
        }
      }
    }

    @Test func codableAsItsText() throws {
      let data = try JSONEncoder().encode([Recurrence(every: 3, unit: .day)])
      #expect(String(decoding: data, as: UTF8.self) == #"["3d"]"#)
      let decoded = try JSONDecoder().decode([Recurrence].self, from: Data(#"["2w"]"#.utf8))
      #expect(decoded == [Recurrence(every: 2, unit: .week)])
      #expect(throws: DecodingError.self) {
        try JSONDecoder().decode([Recurrence].self, from: Data(#"["often"]"#.utf8))
      }
    }
  }

  @Test func russianPlurals() {
    let cases: [(Int, String)] = [
      (0, "дней"), (1, "день"), (2, "дня"), (4, "дня"), (5, "дней"), (11, "дней"),
      (12, "дней"), (14, "дней"), (20, "дней"), (21, "день"), (22, "дня"), (25, "дней"),
      (101, "день"), (111, "дней"), (112, "дней"), (1_000_002, "дня"), (-1, "день"),
    ]
    for (n, form) in cases {
      #expect(RussianPlural.pick(n, "день", "дня", "дней") == form, "\(n)")
    }
  }
}
