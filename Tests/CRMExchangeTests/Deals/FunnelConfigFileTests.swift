import CRMCore
import CRMExchange
import Testing

/// A small valid file; the error tests change one line of it and expect the line numbers below.
private let base = """
  lead_sources = ["Сайт", "Выставка"]
  lost_reasons = [{ key = "price", name = "Дорого" }]

  [[pipeline]]
  key = "sales"
  name = "Продажи"

  [[pipeline.stage]]
  key = "interest"
  name = "Интерес"
  probability = 10
  stuck_after_days = 7

  [[pipeline.stage]]
  key = "offer"
  name = "КП отправлено"
  probability = 25
  on_enter = ["draft offer"]

  [[pipeline.stage]]
  key = "won"
  name = "Выиграна"
  kind = "won"
  probability = 100

  [[pipeline.stage]]
  key = "lost"
  name = "Проиграна"
  kind = "lost"
  probability = 0
  on_enter = ["require lost_reason"]

  """

/// `base` with the text `old` (which must occur once) replaced by `new`.
private func edited(_ old: String, _ new: String) -> String {
  precondition(base.components(separatedBy: old).count == 2, "«\(old)» must occur once")
  return base.replacingOccurrences(of: old, with: new)
}

private func failure(
  _ text: String, _ language: Language = .en, fileName: String = "funnel.toml"
) -> FunnelConfigError? {
  do {
    _ = try FunnelConfigFile.parse(text, language: language, fileName: fileName)
    return nil
  } catch {
    return error
  }
}

@Suite struct FunnelConfigFileTests {
  @Test(arguments: [Language.en, .ru])
  func standardRoundTrips(language: Language) throws {
    let text = FunnelConfigFile.write(.standard, language: language)
    #expect(try FunnelConfigFile.parse(text, language: language) == .standard)
    // Either language reads the other's file.
    let other: Language = language == .en ? .ru : .en
    #expect(try FunnelConfigFile.parse(text, language: other) == .standard)
  }

  @Test func writtenFileExplainsItselfInTheGivenLanguage() {
    let en = FunnelConfigFile.write(.standard, language: .en)
    let ru = FunnelConfigFile.write(.standard, language: .ru)
    #expect(en.hasPrefix("# TermCRM sales process. Apply with: crm pipeline import FILE\n"))
    #expect(ru.hasPrefix("# Процесс продаж TermCRM."))
    for text in [en, ru] {
      for word in [
        "probability", "stuck_after_days", "on_enter", "plan", "draft offer", "require",
        "lost_reason", "meeting",
      ] {
        #expect(text.contains(word), "\(word)")
      }
    }
    #expect(en.contains("refuse the move"))
    #expect(ru.contains("запланировать контакт"))
    #expect(
      en.contains("on_enter = [\"draft offer\", \"plan call +3d \\\"Узнать решение по КП\\\"\"]"))
    #expect(en.contains("  { key = \"site\", name = \"Сайт\", name_en = \"Website\" },\n"))
  }

  @Test func awkwardTextRoundTrips() throws {
    let config = FunnelConfig(
      pipelines: [
        PipelineDefinition(
          key: "b2b", name: "Опт \"крупный\" \\ мелкий", nameEn: "",
          stages: [
            StageDefinition(
              key: "new", name: "Новая\tзаявка\nвторая строка", probability: 5, stuckDays: 3650,
              actions: [
                .plan(kind: .meeting, after: "+2h", subject: "Обсудить \"скидку\" \\ условия"),
                .plan(kind: .email, after: "+1w", subject: ""),
                .require(.amount), .require(.person),
              ]),
            StageDefinition(key: "ok", name: "Да", kind: .won, probability: 100),
            StageDefinition(key: "no", name: "Нет\u{1}\u{7F}", kind: .lost, probability: 0),
          ]),
        PipelineDefinition(
          key: "service", name: "Сервис", nameEn: "Service",
          stages: [
            StageDefinition(key: "a", name: "А", probability: 0),
            StageDefinition(key: "lost", name: "Отказ", kind: .lost, probability: 0),
            StageDefinition(key: "won", name: "Готово", kind: .won, probability: 100),
          ]),
      ],
      leadSources: [
        Choice(key: "Выставка", name: "Выставка"), Choice(key: "x", name: "x", nameEn: "X"),
        Choice(key: "Сайт #1", name: "Сайт # \"1\""),
      ],
      lostReasons: [])
    try config.validate(language: .en)
    let text = FunnelConfigFile.write(config, language: .ru)
    #expect(try FunnelConfigFile.parse(text, language: .ru) == config)
    #expect(text.contains("lead_sources = [\n  \"Выставка\",\n"))
    #expect(text.contains("lost_reasons = []\n"))
  }

  @Test func readsHandWrittenCyrillicFile() throws {
    let text = """
      # TermCRM sales process. Apply with: crm pipeline import FILE
      lead_sources = [
        { key = "site", name = "Сайт", name_en = "Website" },
        "Выставка",   # a plain string is both key and name
      ]
      lost_reasons = [ { key = "price", name = "Дорого", name_en = "Too expensive" } ]

      [[pipeline]]
      key = "sales"
      name = "Продажи"
      name_en = "Sales"        # optional

      [[pipeline.stage]]
      key = "interest"
      name = "Интерес"
      name_en = "Interest"     # optional
      kind = "open"            # open | won | lost; optional, default open
      probability = 10         # 0..100, required
      stuck_after_days = 7     # optional; absent = never stuck
      on_enter = ["draft offer", "plan call +3d \\"Узнать решение по КП\\"", "require amount"]

      [[pipeline.stage]]
      key = "won"
      name = "Выиграна"
      kind = "won"
      probability = 100

      [[pipeline.stage]]
      name = 'Проиграна'
      key = "lost"
      probability = 0
      kind = "lost"
      on_enter = [
        "require lost_reason",
      ]
      """
    let expected = FunnelConfig(
      pipelines: [
        PipelineDefinition(
          key: "sales", name: "Продажи", nameEn: "Sales",
          stages: [
            StageDefinition(
              key: "interest", name: "Интерес", nameEn: "Interest", probability: 10,
              stuckDays: 7,
              actions: [
                .draft(.offer), .plan(kind: .call, after: "+3d", subject: "Узнать решение по КП"),
                .require(.amount),
              ]),
            StageDefinition(key: "won", name: "Выиграна", kind: .won, probability: 100),
            StageDefinition(
              key: "lost", name: "Проиграна", kind: .lost, probability: 0,
              actions: [.require(.lostReason)]),
          ])
      ],
      leadSources: [
        Choice(key: "site", name: "Сайт", nameEn: "Website"),
        Choice(key: "Выставка", name: "Выставка"),
      ],
      lostReasons: [Choice(key: "price", name: "Дорого", nameEn: "Too expensive")])
    #expect(try FunnelConfigFile.parse(text, language: .ru) == expected)
    // Windows line ends and a byte-order mark read the same.
    let crlf = "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n")
    #expect(try FunnelConfigFile.parse(crlf, language: .ru) == expected)
  }

  @Test func baseFileIsValid() throws {
    let config = try FunnelConfigFile.parse(base, language: .en)
    #expect(config.pipelines.map(\.key) == ["sales"])
    #expect(config.pipelines[0].stages.map(\.key) == ["interest", "offer", "won", "lost"])
    #expect(config.leadSources.map(\.key) == ["Сайт", "Выставка"])
  }

  struct Bad: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let line: Int?
    let says: [String]
    var testDescription: String { name }
  }

  static let bad: [Bad] = [
    Bad(
      name: "unclosed string", text: edited("name = \"Интерес\"", "name = \"Интерес"), line: 10,
      says: ["TOML syntax", "closing quote"]),
    Bad(
      name: "unknown key", text: edited("probability = 10\n", "probabilty = 10\n"), line: 11,
      says: [
        "stage «interest»: unknown key «probabilty» (did you mean «probability»?); allowed: key, name, name_en, kind, probability, stuck_after_days, on_enter"
      ]),
    Bad(
      name: "probability 150", text: edited("probability = 10\n", "probability = 150\n"), line: 8,
      says: ["stage «interest»: probability 150 is outside 0–100"]),
    Bad(
      name: "probability as text", text: edited("probability = 10\n", "probability = \"ten\"\n"),
      line: 11, says: ["stage «interest»: probability must be an integer, not a string"]),
    Bad(
      name: "probability as fraction", text: edited("probability = 10\n", "probability = 10.5\n"),
      line: 11, says: ["probability must be an integer, not a fractional number"]),
    Bad(
      name: "missing probability", text: edited("probability = 10\n", "# no probability\n"),
      line: 8, says: ["stage «interest»: the required key «probability» is missing"]),
    Bad(
      name: "missing stage name", text: edited("name = \"КП отправлено\"", ""), line: 14,
      says: ["stage «offer»: the required key «name» is missing"]),
    Bad(
      name: "duplicate stage key", text: edited("key = \"offer\"", "key = \"interest\""),
      line: 14, says: ["stage «interest»: the key is used twice"]),
    Bad(
      name: "two won stages",
      text: edited("probability = 25", "probability = 25\nkind = \"won\""), line: 4,
      says: ["pipeline «sales»: needs exactly one won stage"]),
    Bad(
      name: "bad action",
      text: edited("[\"draft offer\"]", "[\"draft offer\", \"plan telegram +3d\"]"),
      line: 18,
      says: ["stage «offer»: on_enter: «plan telegram +3d»: unknown contact kind «telegram»"]),
    Bad(
      name: "bad delay", text: edited("[\"draft offer\"]", "[\"plan call soon\"]"), line: 18,
      says: ["«soon»"]),
    Bad(
      name: "action not a string", text: edited("[\"draft offer\"]", "[1]"), line: 18,
      says: ["on_enter: each action is a string, not an integer"]),
    Bad(
      name: "stuck won stage",
      text: edited("kind = \"won\"", "kind = \"won\"\nstuck_after_days = 3"), line: 20,
      says: ["stage «won»: a closing stage cannot be stuck"]),
    Bad(
      name: "unknown kind", text: edited("kind = \"won\"", "kind = \"done\""), line: 23,
      says: ["stage «won»: kind «done»: use one of open, won, lost"]),
    Bad(name: "empty file", text: "", line: nil, says: ["the file is empty"]),
    Bad(
      name: "only comments", text: "# nothing yet\n\n   \n", line: nil,
      says: ["the file is empty"]),
    Bad(
      name: "no pipelines", text: "lead_sources = [\"Сайт\"]\n", line: nil,
      says: ["no [[pipeline]] table"]),
    Bad(
      name: "pipeline without stages",
      text: "[[pipeline]]\nkey = \"sales\"\nname = \"Продажи\"\n", line: 1,
      says: ["pipeline «sales»: no stages"]),
    Bad(
      name: "misspelt pipeline header", text: edited("[[pipeline]]", "[[pipelines]]"), line: 4,
      says: ["unknown key «pipelines» (did you mean «pipeline»?)"]),
    Bad(
      name: "pipeline as a plain table", text: edited("[[pipeline]]", "[pipeline]"), line: 4,
      says: ["[[pipeline]]"]),
    Bad(
      name: "duplicate lead source",
      text: edited("[\"Сайт\", \"Выставка\"]", "[\"Сайт\", \"Выставка\", \"сайт\"]"), line: 1,
      says: ["lead_sources: «сайт» is listed twice"]),
    Bad(
      name: "lost reason without name",
      text: edited("{ key = \"price\", name = \"Дорого\" }", "{ key = \"price\" }"), line: 2,
      says: ["lost_reasons, item 1: the required key «name» is missing"]),
    Bad(
      name: "key repeated in a table",
      text: edited("probability = 25", "probability = 25\nprobability = 30"),
      line: 18, says: ["TOML syntax"]),
    Bad(
      name: "bad pipeline key", text: edited("key = \"sales\"", "key = \"продажи\""), line: 4,
      says: ["pipeline «продажи»: key «продажи»"]),
  ]

  @Test(arguments: bad)
  func reportsTheLine(_ bad: Bad) throws {
    let error = try #require(failure(bad.text))
    #expect(error.line == bad.line, "\(error)")
    #expect(error.fileName == "funnel.toml")
    for text in bad.says {
      #expect(error.message.contains(text), "\(error)")
    }
  }

  @Test func descriptionNamesFileAndLine() throws {
    let error = try #require(
      failure(edited("probability = 10\n", "probability = 150\n")))
    #expect(
      error.description == "funnel.toml:8: stage «interest»: probability 150 is outside 0–100")
    let other = try #require(failure("", fileName: "sales.toml"))
    #expect(other.description == "sales.toml: " + other.message)
  }

  @Test func messagesAreInTheReadersLanguage() throws {
    let range = try #require(failure(edited("probability = 10\n", "probability = 150\n"), .ru))
    #expect(range.description == "funnel.toml:8: этап «interest»: вероятность 150 вне 0–100")
    let typo = try #require(failure(edited("probability = 10\n", "probabilty = 10\n"), .ru))
    #expect(typo.line == 11)
    #expect(typo.message.contains("неизвестный ключ «probabilty»"))
    let empty = try #require(failure("", .ru))
    #expect(empty.message.contains("файл пуст"))
  }

  @Test func keyUsedTwiceLaterDoesNotMoveAnEarlierError() throws {
    // The first "interest" is wrong on its own; the second one is only a repeat.
    let text = edited("probability = 10\n", "probability = 150\n")
      .replacingOccurrences(of: "key = \"offer\"", with: "key = \"interest\"")
    let error = try #require(failure(text))
    #expect(error.line == 8, "\(error)")
    #expect(error.message.contains("probability 150"))
  }

  @Test func headersInsideStringsAndArraysAreNotTables() throws {
    let text = edited(
      "name = \"Интерес\"",
      "name = \"\"\"\n[[pipeline.stage]]\nkey = 1\n\"\"\"\nname_en = '''\n[[pipeline]]'''"
    )
    .replacingOccurrences(
      of: "lead_sources = [\"Сайт\", \"Выставка\"]",
      with: "lead_sources = [\n  \"Сайт\",\n  { key = \"x\", name = \"[[pipeline]]\" },\n]")
    // Lines moved by 3 (the array) and 5 (the strings); the offer stage header is now at 22.
    let error = try #require(
      failure(text.replacingOccurrences(of: "probability = 25", with: "probability = -1")))
    #expect(error.line == 22, "\(error)")
    #expect(error.message.contains("stage «offer»"))
    #expect(
      try FunnelConfigFile.parse(text, language: .en).pipelines[0].stages[0].name
        == "[[pipeline.stage]]\nkey = 1\n")
    let nested = try #require(
      failure(
        edited(
          "lead_sources = [\"Сайт\", \"Выставка\"]",
          "lead_sources = [\n  \"Сайт\",\n  [\"nested\"],\n]")))
    #expect(nested.line == 1, "\(nested)")
    #expect(nested.message.contains("lead_sources, item 2"))
  }

  @Test func nulCharacterIsRefused() throws {
    let error = try #require(failure(edited("name = \"Интерес\"", "name = \"Инте\u{0}рес\"")))
    #expect(error.line == 10)
  }

  /// Found by fuzzing: toml++ asserts that a table header's name starts with a key character
  /// or a quote (an abort in a debug build, undefined behaviour in a release build); a header
  /// like `[%]`, `[ё]` or a lone `[` at the end of a line must be an error naming its line.
  @Test(arguments: ["[%]", "[ёлка]", "[\u{FFFD}узку\\\"\"]", "[[=]]", "[", "[ ", "[[ {", "[\r"])
  func tableHeaderWithoutAKeyIsAnErrorNotACrash(header: String) throws {
    let text = edited(
      "[[pipeline.stage]]\nkey = \"offer\"", header + "\n[[pipeline.stage]]\nkey = \"offer\"")
    let line = text.components(separatedBy: header + "\n")[0].filter { $0 == "\n" }.count + 1
    let error = try #require(failure(text))
    #expect(error.line == line, "\(error)")
    #expect(error.message.contains("table header"), "\(error)")
  }
}
