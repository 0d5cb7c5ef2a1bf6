import Foundation

/// Whether a stage keeps a deal open or closes it.
public enum StageKind: String, Codable, Sendable, CaseIterable {
  case open, won, lost
}

/// A deal field a stage can demand before a deal may enter it.
public enum DealField: String, Codable, Sendable, CaseIterable {
  case amount
  case lostReason = "lost_reason"
  case expectedClose = "expected_close"
  case person
  case source

  public func name(_ l: Language) -> String {
    switch self {
    case .amount: return l.pick("Amount", "Сумма")
    case .lostReason: return l.pick("Lost reason", "Причина проигрыша")
    case .expectedClose: return l.pick("Expected close", "Ожидаемое закрытие")
    case .person: return l.pick("Contact person", "Контактное лицо")
    case .source: return l.pick("Lead source", "Источник")
    }
  }
}

/// A document a stage can draft on entry.
public enum DraftKind: String, Codable, Sendable, CaseIterable {
  case offer
}

/// What entering a stage does. Written as text in the pipeline configuration:
/// - `plan call +3d "Ask for the decision"`: plans a contact of that kind for the deal's owner
///   (days and weeks land on the working day at `day_start`, Saturday and Sunday move to Monday;
///   minutes and hours are counted from the move);
/// - `draft offer`: creates a draft commercial offer on the deal;
/// - `require amount` (`lost_reason`, `expected_close`, `person`, `source`): refuses the move
///   until the deal has that field.
public enum EntryAction: Equatable, Hashable, Sendable {
  case plan(kind: ContactKind, after: String, subject: String)
  case draft(DraftKind)
  case require(DealField)

  /// The action's text in the configuration syntax; `parse(text)` gives the action back.
  public var text: String {
    switch self {
    case .plan(let kind, let after, let subject):
      func quoted(_ s: String) -> String {
        "\""
          + s.replacingOccurrences(of: "\\", with: "\\\\")
          .replacingOccurrences(of: "\"", with: "\\\"") + "\""
      }
      // A delay with a space in it ("+6d и", read from a quoted word) is quoted back, or it
      // would read as a delay and a subject.
      let delay =
        after.isEmpty || after.contains(" ") || after.hasPrefix("\"") ? quoted(after) : after
      return subject.isEmpty
        ? "plan \(kind.rawValue) \(delay)" : "plan \(kind.rawValue) \(delay) \(quoted(subject))"
    case .draft(let kind): return "draft \(kind.rawValue)"
    case .require(let field): return "require \(field.rawValue)"
    }
  }

  /// How long after the move a planned contact is due, in seconds, and whether the offset is in
  /// whole days (then it lands on a working day, see `WorkingHours`).
  public func planOffset(language: Language) throws(CRMError) -> (seconds: TimeInterval, days: Bool)
  {
    guard case .plan(_, let after, _) = self else { return (0, false) }
    let seconds = try When.duration(after, language: language, field: "plan")
    let folded = after.lowercased()
    let days =
      seconds > 0 && seconds.truncatingRemainder(dividingBy: 86400) == 0
      && (folded.hasSuffix("d") || folded.hasSuffix("w") || folded.contains("д")
        || folded.contains("н"))
    return (seconds, days)
  }

  /// Reads one action; the error says what forms exist.
  public static func parse(_ text: String, language l: Language) throws(CRMError) -> EntryAction {
    let forms = l.pick(
      "use plan KIND +3d \"subject\", draft offer, or require amount|lost_reason|expected_close|person|source",
      "используйте plan ВИД +3d \"тема\", draft offer или require amount|lost_reason|expected_close|person|source"
    )
    func fail(_ en: String, _ ru: String) -> CRMError {
      .invalid(field: "«\(text)»", problem: l.pick(en, ru) + "; " + forms)
    }
    var words: [String] = []
    var rest = Substring(
      text.replacingOccurrences(of: "\t", with: " ").trimmingCharacters(in: .whitespaces))
    while !rest.isEmpty {
      if rest.first == "\"" {
        var out = ""
        var i = rest.index(after: rest.startIndex)
        var closed = false
        while i < rest.endIndex {
          let ch = rest[i]
          if ch == "\\", rest.index(after: i) < rest.endIndex {
            i = rest.index(after: i)
            out.append(rest[i])
          } else if ch == "\"" {
            closed = true
            break
          } else {
            out.append(ch)
          }
          i = rest.index(after: i)
        }
        guard closed else { throw fail("the quote is not closed", "кавычка не закрыта") }
        words.append(out)
        rest = rest[rest.index(after: i)...]
        guard rest.isEmpty || rest.first == " " else {
          throw fail("text after the closing quote", "текст после закрывающей кавычки")
        }
      } else {
        let end = rest.firstIndex(of: " ") ?? rest.endIndex
        words.append(String(rest[..<end]))
        rest = rest[end...]
      }
      rest = rest.drop { $0 == " " }
    }
    guard let verb = words.first?.lowercased() else {
      throw fail("empty action", "пустое действие")
    }
    switch verb {
    case "plan":
      guard words.count >= 3, words.count <= 4 else {
        throw fail("plan needs a kind and a delay", "plan требует вид контакта и срок")
      }
      guard let kind = ContactKind(rawValue: words[1].lowercased()) else {
        let kinds = ContactKind.allCases.map(\.rawValue).joined(separator: ", ")
        throw fail(
          "unknown contact kind «\(words[1])» (\(kinds))",
          "неизвестный вид контакта «\(words[1])» (\(kinds))")
      }
      let action = EntryAction.plan(
        kind: kind, after: words[2], subject: words.count == 4 ? words[3] : "")
      do {
        _ = try action.planOffset(language: l)
      } catch {
        throw fail(
          "cannot read the delay «\(words[2])» (+2h, +3d, +1w)",
          "не удаётся прочитать срок «\(words[2])» (+2h, +3d, +1w)")
      }
      return action
    case "draft":
      guard words.count == 2, let kind = DraftKind(rawValue: words[1].lowercased()) else {
        throw fail("draft what? (offer)", "какой документ? (offer)")
      }
      return .draft(kind)
    case "require":
      guard words.count == 2, let field = DealField(rawValue: words[1].lowercased()) else {
        throw fail("require which field?", "какое поле требовать?")
      }
      return .require(field)
    default:
      throw fail("unknown action «\(verb)»", "неизвестное действие «\(verb)»")
    }
  }
}

/// A stage as configured: key, names, order (its place in `PipelineDefinition.stages`), kind,
/// default probability, the "stuck after N days" limit and entry actions.
public struct StageDefinition: Equatable, Sendable, BilingualName {
  public var key: String
  public var name: String
  public var nameEn: String
  public var kind: StageKind
  public var probability: Int
  public var stuckDays: Int?
  public var actions: [EntryAction]

  public init(
    key: String, name: String, nameEn: String = "", kind: StageKind = .open, probability: Int,
    stuckDays: Int? = nil, actions: [EntryAction] = []
  ) {
    self.key = key
    self.name = name
    self.nameEn = nameEn
    self.kind = kind
    self.probability = probability
    self.stuckDays = stuckDays
    self.actions = actions
  }
}

/// A sales pipeline as configured; the first pipeline is the default one.
public struct PipelineDefinition: Equatable, Sendable, BilingualName {
  public var key: String
  public var name: String
  public var nameEn: String
  public var stages: [StageDefinition]

  public init(key: String, name: String, nameEn: String = "", stages: [StageDefinition]) {
    self.key = key
    self.name = name
    self.nameEn = nameEn
    self.stages = stages
  }
}

/// An entry of a configurable list (lead sources, lost reasons).
public struct Choice: Equatable, Sendable, BilingualName {
  public var key: String
  public var name: String
  public var nameEn: String

  public init(key: String, name: String, nameEn: String = "") {
    self.key = key
    self.name = name
    self.nameEn = nameEn
  }

  /// Whether `text` names this entry: its key or either name, case- and ё-insensitive.
  public func matches(_ text: String) -> Bool {
    let k = TextFold.key(text.trimmingCharacters(in: .whitespaces))
    return k == TextFold.key(key) || k == TextFold.key(name)
      || (!nameEn.isEmpty && k == TextFold.key(nameEn))
  }
}

/// Everything the sales-process configuration holds: pipelines, lead sources, lost reasons
/// and the outcomes offered when a contact is logged.
public struct FunnelConfig: Equatable, Sendable {
  public var pipelines: [PipelineDefinition]
  public var leadSources: [Choice]
  public var lostReasons: [Choice]
  /// What usually comes of a call or a meeting («Договорились о встрече», «Думают»): offered
  /// as a pick list when a contact is logged; the person may still type anything.
  public var outcomes: [Choice]

  public init(
    pipelines: [PipelineDefinition], leadSources: [Choice], lostReasons: [Choice],
    outcomes: [Choice] = []
  ) {
    self.pipelines = pipelines
    self.leadSources = leadSources
    self.lostReasons = lostReasons
    self.outcomes = outcomes
  }

  /// The outcomes of the standard process (the migration that introduced the list seeds them).
  public static let standardOutcomes = [
    Choice(key: "meeting", name: "Договорились о встрече", nameEn: "Meeting agreed"),
    Choice(key: "offer", name: "Ждут КП", nameEn: "Waiting for an offer"),
    Choice(key: "thinking", name: "Думают, перезвонить", nameEn: "Thinking it over, call back"),
    Choice(key: "order", name: "Готовы заказать", nameEn: "Ready to order"),
    Choice(
      key: "decision_maker", name: "Передали ЛПР", nameEn: "Passed to the decision maker"),
    Choice(key: "gatekeeper", name: "Секретарь не соединил", nameEn: "Gatekeeper blocked"),
    Choice(key: "not_interested", name: "Не интересно", nameEn: "Not interested"),
  ]

  /// The requirements' sales process: Interest → Offer sent → Waiting for decision → Invoice
  /// issued → Paid → Shipped / act signed → Won; Lost from any stage.
  public static let standard = FunnelConfig(
    pipelines: [
      PipelineDefinition(
        key: "sales", name: "Продажи", nameEn: "Sales",
        stages: [
          StageDefinition(
            key: "interest", name: "Интерес", nameEn: "Interest", probability: 10, stuckDays: 7),
          StageDefinition(
            key: "offer", name: "КП отправлено", nameEn: "Offer sent", probability: 25,
            stuckDays: 5,
            actions: [
              .draft(.offer),
              .plan(kind: .call, after: "+3d", subject: "Узнать решение по КП"),
            ]),
          StageDefinition(
            key: "decision", name: "Ждём решения", nameEn: "Waiting for decision",
            probability: 40, stuckDays: 10),
          StageDefinition(
            key: "invoice", name: "Счёт выставлен", nameEn: "Invoice issued", probability: 70,
            stuckDays: 7, actions: [.require(.amount)]),
          StageDefinition(
            key: "paid", name: "Оплачено", nameEn: "Paid", probability: 90, stuckDays: 5,
            actions: [.plan(kind: .call, after: "+1d", subject: "Согласовать отгрузку")]),
          StageDefinition(
            key: "shipped", name: "Отгружено / акт", nameEn: "Shipped / act signed",
            probability: 95, stuckDays: 10),
          StageDefinition(
            key: "won", name: "Выиграна", nameEn: "Won", kind: .won, probability: 100),
          StageDefinition(
            key: "lost", name: "Проиграна", nameEn: "Lost", kind: .lost, probability: 0,
            actions: [.require(.lostReason)]),
        ])
    ],
    leadSources: [
      Choice(key: "site", name: "Сайт", nameEn: "Website"),
      Choice(key: "call", name: "Входящий звонок", nameEn: "Inbound call"),
      Choice(key: "referral", name: "Рекомендация", nameEn: "Referral"),
      Choice(key: "exhibition", name: "Выставка", nameEn: "Exhibition"),
      Choice(key: "ads", name: "Реклама", nameEn: "Advertising"),
      Choice(key: "cold", name: "Холодный обзвон", nameEn: "Cold calling"),
      Choice(key: "repeat", name: "Повторное обращение", nameEn: "Returning client"),
      Choice(key: "other", name: "Другое", nameEn: "Other"),
    ],
    lostReasons: [
      Choice(key: "price", name: "Дорого", nameEn: "Too expensive"),
      Choice(key: "competitor", name: "Выбрали конкурента", nameEn: "Chose a competitor"),
      Choice(key: "budget", name: "Нет бюджета", nameEn: "No budget"),
      Choice(key: "timing", name: "Отложили", nameEn: "Postponed"),
      Choice(key: "no_answer", name: "Пропал, не отвечает", nameEn: "Went silent"),
      Choice(key: "no_need", name: "Нет потребности", nameEn: "No need"),
      Choice(key: "other", name: "Другое", nameEn: "Other"),
    ], outcomes: standardOutcomes)

  /// Checks the whole configuration; errors name the pipeline and stage (the file reader adds
  /// the line). Rules: at least one pipeline; keys are ASCII letters, digits, `_` and `-`,
  /// unique; every pipeline has at least one open stage first, exactly one won and one lost
  /// stage; probabilities 0–100; stuck limits 1–3650 days; lists without duplicate keys.
  public func validate(language l: Language) throws(CRMError) {
    func fail(_ place: String, _ en: String, _ ru: String) -> CRMError {
      .invalid(field: place, problem: l.pick(en, ru))
    }
    func checkKey(_ key: String, _ place: String) throws(CRMError) {
      let ok =
        !key.isEmpty && key.count <= 40
        && key.unicodeScalars.allSatisfy {
          ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
            || $0 == "_" || $0 == "-"
        }
      if !ok {
        throw fail(
          place, "key «\(key)»: use ASCII letters, digits, _ and - (up to 40)",
          "ключ «\(key)»: латинские буквы, цифры, _ и - (до 40)")
      }
    }
    guard !pipelines.isEmpty else {
      throw fail("pipeline", "at least one pipeline is needed", "нужна хотя бы одна воронка")
    }
    var pipelineKeys = Set<String>()
    for p in pipelines {
      let pw = "pipeline \(p.key)"
      try checkKey(p.key, pw)
      guard pipelineKeys.insert(p.key.lowercased()).inserted else {
        throw fail(pw, "the key is used twice", "ключ повторяется")
      }
      if p.name.trimmingCharacters(in: .whitespaces).isEmpty {
        throw fail(pw, "the name is empty", "пустое название")
      }
      guard let first = p.stages.first, first.kind == .open else {
        throw fail(pw, "the first stage must be an open one", "первый этап должен быть открытым")
      }
      var stageKeys = Set<String>()
      for s in p.stages {
        let sw = "\(pw), stage \(s.key)"
        try checkKey(s.key, sw)
        guard stageKeys.insert(s.key.lowercased()).inserted else {
          throw fail(sw, "the key is used twice", "ключ повторяется")
        }
        if s.name.trimmingCharacters(in: .whitespaces).isEmpty {
          throw fail(sw, "the name is empty", "пустое название")
        }
        guard (0...100).contains(s.probability) else {
          throw fail(
            sw, "probability \(s.probability) is outside 0–100",
            "вероятность \(s.probability) вне 0–100")
        }
        if let d = s.stuckDays, !(1...3650).contains(d) {
          throw fail(
            sw, "stuck_after_days \(d) is outside 1–3650", "stuck_after_days \(d) вне 1–3650")
        }
        if s.kind != .open && s.stuckDays != nil {
          throw fail(
            sw, "a closing stage cannot be stuck", "закрывающий этап не может «зависнуть»")
        }
        for a in s.actions {
          if case .require(.lostReason) = a, lostReasons.isEmpty {
            throw fail(
              sw, "requires a lost reason, but lost_reasons is empty",
              "требует причину проигрыша, а список lost_reasons пуст")
          }
          if case .require(.lostReason) = a, s.kind != .lost {
            throw fail(
              sw, "only a lost stage can require a lost reason",
              "причину проигрыша требует только этап «проиграна»")
          }
          if case .plan = a { _ = try a.planOffset(language: l) }
        }
      }
      for kind in [StageKind.won, .lost] where p.stages.filter({ $0.kind == kind }).count != 1 {
        throw fail(
          pw, "needs exactly one \(kind.rawValue) stage",
          "нужен ровно один этап вида \(kind.rawValue)")
      }
    }
    for (list, items) in [
      ("lead_sources", leadSources), ("lost_reasons", lostReasons), ("outcomes", outcomes),
    ] {
      var keys = Set<String>()
      for c in items {
        // List keys may be any letters (a Russian name is its own key), but no control characters.
        if c.key.trimmingCharacters(in: .whitespaces).isEmpty || c.key.count > 60
          || c.key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
          throw fail(list, "key «\(c.key)»: 1–60 characters", "ключ «\(c.key)»: 1–60 символов")
        }
        guard keys.insert(TextFold.key(c.key)).inserted else {
          throw fail(list, "«\(c.key)» is listed twice", "«\(c.key)» указан дважды")
        }
        if c.name.trimmingCharacters(in: .whitespaces).isEmpty {
          throw fail(list, "«\(c.key)» has no name", "у «\(c.key)» нет названия")
        }
      }
    }
  }
}
