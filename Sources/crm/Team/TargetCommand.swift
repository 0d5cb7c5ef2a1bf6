import ArgumentParser
import CRMCore
import CRMExchange
import Foundation

// MARK: crm target

struct TargetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "target",
    abstract: tr(
      "Per-manager goals (calls a week, revenue a month…) shown against the activity.",
      "Цели менеджеров (звонков в неделю, выручка в месяц…) рядом с их активностью."),
    subcommands: [Set.self, List.self, Remove.self])

  /// The metric typed on the command line; an unknown one lists the valid names.
  static func metric(_ text: String, _ l: Language) throws -> TargetMetric {
    guard let m = TargetMetric(argument: text) else {
      let names = TargetMetric.allCases.map(\.rawValue).joined(separator: ", ")
      throw Failure(
        message: l.pick(
          "METRIC: «\(text)» is not one of \(names)", "METRIC: «\(text)» — не одно из: \(names)"),
        code: 1)
    }
    return m
  }

  static func period(_ text: String, _ l: Language) throws -> ActivityGrouping {
    guard let p = ActivityGrouping(argument: text) else {
      throw Failure(
        message: l.pick(
          "--per: «\(text)» is not day, week or month", "--per: «\(text)» — не day, week или month"),
        code: 1)
    }
    return p
  }

  struct Set: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: tr(
        "Set a user's goal: AMOUNT of METRIC per day, week or month (supervisor/admin).",
        "Задать цель пользователя: AMOUNT по METRIC в день, неделю или месяц (руководитель/администратор)."
      ),
      discussion: tr(
        """
        METRIC: calls, meetings, letters, emails, other, contacts (all five kinds), new_clients, \
        deals_moved, deals_won, revenue (roubles: 150000 or 150 000,50). Setting it again \
        replaces the amount.
        """,
        """
        METRIC: calls, meetings, letters, emails, other, contacts (все пять видов), new_clients, \
        deals_moved, deals_won, revenue (рубли: 150000 или 150 000,50). Повторная установка \
        заменяет значение.
        """))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The user's login.",
        "Логин пользователя.")) var login: String
    @Argument(
      help: tr(
        "What is counted.",
        "Что считается.")) var metric: String
    @Argument(
      help: tr(
        "How many (revenue: roubles).",
        "Сколько (revenue: рубли).")) var amount: String
    @Option(
      help: tr(
        "day, week or month.",
        "day, week или month (день, неделя, месяц).")) var per: String = "week"

    func check() throws { _ = try typed() }

    /// The metric, the period and the amount typed.
    func typed() throws -> (TargetMetric, ActivityGrouping, Int64) {
      let l = global.language
      let m = try TargetCommand.metric(metric, l)
      let p = try TargetCommand.period(per, l)
      let value: Int64
      if m == .revenue {
        value = try Money.parse(amount, language: l, field: "AMOUNT").minor
      } else {
        guard let n = Int64(amount.trimmingCharacters(in: .whitespaces)), n >= 0 else {
          throw Failure(
            message: l.pick(
              "AMOUNT: «\(amount)» is not a whole number of 0 or more",
              "AMOUNT: «\(amount)» — не целое число от 0"), code: 1)
        }
        value = n
      }
      return (m, p, value)
    }

    func run(_ session: Session) throws {
      let (m, p, value) = try typed()
      let user = try global.user(session.database, login: login, option: "LOGIN")
      let t = try session.context.targets.set(user: user, metric: m, period: p, amount: value)
      print(TargetCommand.line(t, global.language))
    }
  }

  static func line(_ t: UserTarget, _ l: Language) -> String {
    let amount = t.metric == .revenue ? Money(minor: t.amount).formatted(l) : String(t.amount)
    return "\(t.login) \(t.metric.rawValue) \(amount) / \(t.period.name(l))"
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "Every goal: user, metric, amount, period.",
        "Все цели: пользователь, показатель, значение, период."))
    @OptionGroup var global: Global
    @Flag(
      help: tr(
        "JSON instead of lines.",
        "JSON вместо строк.")) var json = false

    func run(_ session: Session) throws {
      let list = try session.context.targets.list()
      if json {
        printJSON(
          list.map {
            [
              "user": $0.login, "metric": $0.metric.rawValue, "period": $0.period.rawValue,
              "amount": $0.amount, "set_by": $0.setBy ?? NSNull(),
              "set_at": JSONText.isoText($0.setAt),
            ] as [String: Any]
          })
        return
      }
      if list.isEmpty {
        print(
          global.language.pick(
            "No targets. Set one: crm target set LOGIN calls 40 --per week",
            "Целей нет. Задать: crm target set LOGIN calls 40 --per week"))
      }
      for t in list { print(TargetCommand.line(t, global.language)) }
    }
  }

  struct Remove: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove",
      abstract: tr(
        "Remove a user's goal (supervisor/admin).",
        "Удалить цель пользователя (руководитель/администратор)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The user's login.",
        "Логин пользователя.")) var login: String
    @Argument(
      help: tr(
        "What is counted.",
        "Что считается.")) var metric: String
    @Option(
      help: tr(
        "day, week or month.",
        "day, week или month (день, неделя, месяц).")) var per: String = "week"

    func check() throws {
      let l = global.language
      _ = try TargetCommand.metric(metric, l)
      _ = try TargetCommand.period(per, l)
    }

    func run(_ session: Session) throws {
      let l = global.language
      let m = try TargetCommand.metric(metric, l)
      let p = try TargetCommand.period(per, l)
      let database = session.database
      let user = try global.user(database, login: login, option: "LOGIN")
      let removed = try session.context.targets.remove(user: user, metric: m, period: p)
      guard removed else {
        throw Failure(
          message: l.pick(
            "\(login) has no \(m.rawValue) target per \(p.rawValue)",
            "у \(login) нет цели \(m.rawValue) на \(p.name(l))"), code: 1)
      }
      print(l.pick("Removed.", "Удалено."))
    }
  }
}
