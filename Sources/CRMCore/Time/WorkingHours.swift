import Foundation

/// When people work: Monday to Friday, from `day_start` to `day_end` (settings), in a time zone.
///
/// Every follow-up the CRM plans by itself or from a relative time ("через 3 дня", `--next +5d`,
/// a no-answer retry, a postpone, a funnel action, the demo's calls) goes through here, by one
/// rule:
/// - a step of whole days lands on that day at the same time of day when that time is within
///   working hours, otherwise at `day_start`; Saturday and Sunday move on to Monday (keeping that
///   time);
/// - a step of minutes or hours keeps its time when that is within working hours of a working
///   day; before `day_start` of a working day it waits for `day_start`; after `day_end` or on a
///   weekend it moves to `day_start` of the next working day.
///
/// Times typed explicitly (`завтра в 20:00`, `25.12 19:00`, `в субботу`) are not moved.
public struct WorkingHours: Sendable, Equatable {
  /// The first working hour, 0…23.
  public var dayStart: Int
  /// The hour work ends (exclusive), `dayStart + 1`…24.
  public var dayEnd: Int
  public var timeZone: TimeZone

  public init(dayStart: Int = 10, dayEnd: Int = 18, timeZone: TimeZone) {
    self.dayStart = min(max(dayStart, 0), 23)
    self.dayEnd = min(max(dayEnd, self.dayStart + 1), 24)
    self.timeZone = timeZone
  }

  /// `day_start` and `day_end` of `settings`.
  public init(_ settings: Settings, timeZone: TimeZone) {
    self.init(dayStart: settings.dayStartHour, dayEnd: settings.dayEndHour, timeZone: timeZone)
  }

  var calendar: Calendar { TimeContext(now: Date(), timeZone: timeZone).calendar }

  /// Monday to Friday.
  public func isWorkingDay(_ d: Date) -> Bool {
    CalendarMath.weekday(d, calendar) <= 5
  }

  /// Seconds since the start of `d`'s day, on the wall clock.
  func secondsOfDay(_ d: Date) -> Double {
    let parts = calendar.dateComponents([.hour, .minute, .second], from: d)
    return Double((parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0))
  }

  /// Whether `d` is within working hours of a working day: `day_start` ≤ time < `day_end`.
  public func contains(_ d: Date) -> Bool {
    guard isWorkingDay(d) else { return false }
    let s = secondsOfDay(d)
    return s >= Double(dayStart * 3600) && s < Double(dayEnd * 3600)
  }

  /// `day_start` on `d`'s day, or on the first working day after it when it is a weekend.
  public func start(ofWorkingDayFrom d: Date) -> Date {
    let cal = calendar
    var day = CalendarMath.startOfDay(d, cal)
    while CalendarMath.weekday(day, cal) > 5 { day = CalendarMath.addDays(day, 1, cal) }
    return CalendarMath.date(
      year: cal.component(.year, from: day), month: cal.component(.month, from: day),
      day: cal.component(.day, from: day), hour: dayStart, cal) ?? day
  }

  /// `day_start` of the first working day after `d`'s day ("tomorrow morning", skipping the
  /// weekend).
  public func nextWorkingDayStart(after d: Date) -> Date {
    start(ofWorkingDayFrom: CalendarMath.addDays(CalendarMath.startOfDay(d, calendar), 1, calendar))
  }

  /// `days` calendar days after `from`: at the same time of day when that is within working
  /// hours, otherwise at `day_start`; a weekend moves on to Monday.
  public func after(days: Int, from: Date) -> Date {
    onWorkingDay(CalendarMath.addDays(from, days, calendar))
  }

  /// A moment reached by a step of days (or months): its time of day when that is within
  /// working hours, otherwise `day_start`; on its day, or on the next working day when that is
  /// a weekend (Saturday 14:30 → Monday 14:30, Saturday 22:50 → Monday `day_start`).
  public func onWorkingDay(_ moved: Date) -> Date {
    let s = secondsOfDay(moved)
    let day = start(ofWorkingDayFrom: moved)
    guard s >= Double(dayStart * 3600), s < Double(dayEnd * 3600) else { return day }
    let cal = calendar
    let t = Int(s)
    return CalendarMath.date(
      year: cal.component(.year, from: day), month: cal.component(.month, from: day),
      day: cal.component(.day, from: day), hour: t / 3600, minute: t % 3600 / 60, cal
    ).map { $0.addingTimeInterval(Double(t % 60)) } ?? day
  }

  /// `seconds` after `from`, moved into working hours: kept when within them; before
  /// `day_start` of a working day → `day_start`; after `day_end` or on a weekend → `day_start` of
  /// the next working day.
  public func after(seconds: TimeInterval, from: Date) -> Date {
    fit(from.addingTimeInterval(seconds))
  }

  /// `d` when it is within working hours, else the next start of working hours.
  public func fit(_ d: Date) -> Date {
    if contains(d) { return d }
    if isWorkingDay(d), secondsOfDay(d) < Double(dayStart * 3600) {
      return start(ofWorkingDayFrom: d)
    }
    return nextWorkingDayStart(after: d)
  }

  /// A step in seconds: whole days (a multiple of 24 h) go by `after(days:)`, anything else by
  /// `after(seconds:)`. Used for the no-answer rule (`2h,1d,3d`).
  public func after(step: TimeInterval, from: Date) -> Date {
    if step > 0, step.truncatingRemainder(dividingBy: 86_400) == 0 {
      return after(days: Int(step / 86_400), from: from)
    }
    return after(seconds: step, from: from)
  }
}
