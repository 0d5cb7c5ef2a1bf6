import CRMCore
import Foundation
import TOMLKit

/// A problem in a sales-process configuration file: where it is and what is wrong, in the
/// reader's language.
public struct FunnelConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  public let fileName: String
  /// 1-based; nil when the problem has no place in the file (an empty file, no pipelines).
  public let line: Int?
  public let message: String

  public init(fileName: String, line: Int?, message: String) {
    self.fileName = fileName
    self.line = line
    self.message = message
  }

  /// `funnel.toml:12: stage «offer»: probability 150 is outside 0–100`
  public var description: String {
    if let line { return "\(fileName):\(line): \(message)" }
    return "\(fileName): \(message)"
  }
}

/// The sales-process configuration file (TOML): pipelines with their stages, lead sources and
/// lost reasons.
///
/// ```toml
/// lead_sources = [{ key = "site", name = "Сайт", name_en = "Website" }, "Выставка"]
/// lost_reasons = [{ key = "price", name = "Дорого", name_en = "Too expensive" }]
///
/// [[pipeline]]
/// key = "sales"
/// name = "Продажи"
/// name_en = "Sales"
///
/// [[pipeline.stage]]
/// key = "interest"
/// name = "Интерес"
/// kind = "open"            # open | won | lost; default open
/// probability = 10
/// stuck_after_days = 7     # optional
/// on_enter = ["draft offer", "plan call +3d \"Узнать решение\"", "require amount"]
/// ```
///
/// The TOML syntax is read by TOMLKit (toml++), which gives no positions for values; the lines
/// of tables and keys are found in the text: the n-th `[[pipeline]]` header is the n-th
/// pipeline, and so on.
public enum FunnelConfigFile {
  static let rootKeys = ["lead_sources", "lost_reasons", "outcomes", "pipeline"]
  static let pipelineKeys = ["key", "name", "name_en", "stage"]
  static let stageKeys = [
    "key", "name", "name_en", "kind", "probability", "stuck_after_days", "on_enter",
  ]
  static let choiceKeys = ["key", "name", "name_en"]

  /// Parses and validates. Throws FunnelConfigError. Nothing is applied here.
  public static func parse(
    _ text: String, language: Language, fileName: String = "funnel.toml"
  ) throws(FunnelConfigError) -> FunnelConfig {
    let l = language
    func fail(_ line: Int?, _ message: String) -> FunnelConfigError {
      FunnelConfigError(fileName: fileName, line: line, message: message)
    }
    // toml++ gets a C string: a NUL would silently cut the rest of the file off.
    if let nul = text.unicodeScalars.firstIndex(of: "\u{0}") {
      let line = text.unicodeScalars[..<nul].filter { $0 == "\n" }.count + 1
      throw fail(
        line,
        l.pick(
          "the file contains a NUL character; is it a text file?",
          "в файле есть символ NUL; это точно текстовый файл?"))
    }
    let source = SourceMap(text)
    if let bad = source.headers.first(where: \.startsBadly) {
      throw fail(
        bad.line,
        l.pick(
          "a table header needs a name: [name] or [[name]], with letters, digits, _ and - or in quotes",
          "у заголовка таблицы нет имени: [имя] или [[имя]] — латиница, цифры, _ и - либо в кавычках"
        ))
    }
    let root: TOMLTable
    do {
      root = try TOMLTable(string: text)
    } catch let e as TOMLParseError {
      let column = e.source.begin.column
      var hint = l.pick(" (column \(column))", " (столбец \(column))")
      if e.description.contains("parsing string") && e.description.contains("control char") {
        hint += l.pick("; is a closing quote missing?", "; не закрыта кавычка?")
      }
      throw fail(
        e.source.begin.line, l.pick("TOML syntax: ", "синтаксис TOML: ") + e.description + hint)
    } catch {
      throw fail(nil, l.pick("TOML syntax: ", "синтаксис TOML: ") + "\(error)")
    }
    if root.isEmpty {
      throw fail(
        nil,
        l.pick(
          "the file is empty; it needs at least one [[pipeline]] with its [[pipeline.stage]] tables",
          "файл пуст; нужна хотя бы одна [[pipeline]] со своими таблицами [[pipeline.stage]]"))
    }
    var reader = Reader(language: l, source: source)
    let config = reader.read(root)
    if let first = reader.issues.min(by: { ($0.line ?? .max) < ($1.line ?? .max) }) {
      throw fail(first.line, first.message)
    }
    guard let config else {
      throw fail(nil, l.pick("cannot read the file", "не удаётся прочитать файл"))
    }
    do {
      try config.validate(language: l)
    } catch {
      let (line, message) = reader.locate(error, in: config)
      throw fail(line, message)
    }
    return config
  }

  /// Whether a file sets the root key `key` (`outcomes = [...]`). Files written before the
  /// outcome list existed do not; importing one keeps the stored outcomes.
  public static func declares(_ key: String, in text: String) -> Bool {
    for line in text.split(whereSeparator: \.isNewline) {
      let t = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
      if t.hasPrefix("[") { return false }
      guard t.hasPrefix(key) else { continue }
      if t.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("=") {
        return true
      }
    }
    return false
  }

  /// Writes a file that parse() reads back to an equal FunnelConfig (round trip), with a header
  /// comment explaining the keys (in the given language) and the entry-action forms.
  public static func write(_ config: FunnelConfig, language: Language) -> String {
    var out = header(language).map { $0.isEmpty ? "#" : "# " + $0 }.joined(separator: "\n")
    out += "\n\n"
    for (name, items) in [
      ("lead_sources", config.leadSources), ("lost_reasons", config.lostReasons),
      ("outcomes", config.outcomes),
    ] {
      if items.isEmpty {
        out += "\(name) = []\n"
        continue
      }
      out += "\(name) = [\n"
      for c in items {
        if c.key == c.name && c.nameEn.isEmpty {
          out += "  \(quote(c.key)),\n"
        } else {
          var fields = "key = \(quote(c.key)), name = \(quote(c.name))"
          if !c.nameEn.isEmpty { fields += ", name_en = \(quote(c.nameEn))" }
          out += "  { \(fields) },\n"
        }
      }
      out += "]\n"
    }
    for p in config.pipelines {
      out += "\n[[pipeline]]\nkey = \(quote(p.key))\nname = \(quote(p.name))\n"
      if !p.nameEn.isEmpty { out += "name_en = \(quote(p.nameEn))\n" }
      for s in p.stages {
        out += "\n[[pipeline.stage]]\nkey = \(quote(s.key))\nname = \(quote(s.name))\n"
        if !s.nameEn.isEmpty { out += "name_en = \(quote(s.nameEn))\n" }
        out += "kind = \(quote(s.kind.rawValue))\nprobability = \(s.probability)\n"
        if let d = s.stuckDays { out += "stuck_after_days = \(d)\n" }
        if !s.actions.isEmpty {
          out += "on_enter = [" + s.actions.map { quote($0.text) }.joined(separator: ", ") + "]\n"
        }
      }
    }
    return out
  }

  private static func header(_ l: Language) -> [String] {
    let kinds = ContactKind.allCases.map(\.rawValue).joined(separator: ", ")
    let fields = DealField.allCases.map(\.rawValue).joined(separator: ", ")
    if l == .en {
      return [
        "TermCRM sales process. Apply with: crm pipeline import FILE",
        "",
        "lead_sources, lost_reasons: lists of { key = \"...\", name = \"...\", name_en = \"...\" }",
        "  (name_en optional); a plain string such as \"Выставка\" is both the key and the name.",
        "outcomes: the same kind of list: what usually comes of a contact, offered when one is",
        "  logged (anything else may still be typed).",
        "[[pipeline]]: a sales pipeline; the first one is the default.",
        "  key   ASCII letters, digits, _ and - (up to 40), unique",
        "  name, name_en   the names in Russian and English (name_en optional)",
        "[[pipeline.stage]]: the pipeline's stages, in this order:",
        "  key, name, name_en   as above",
        "  kind   \"open\" (default), \"won\" or \"lost\"; the first stage is open, and there is",
        "         exactly one won and one lost stage",
        "  probability        the deal's probability at this stage, 0-100 (required)",
        "  stuck_after_days   an open deal left here longer is stuck, 1-3650 (optional)",
        "  on_enter           what entering the stage does (optional), a list of:",
        "    \"plan KIND +3d \\\"subject\\\"\"  plan a contact for the deal's owner;",
        "        KIND: \(kinds);",
        "        delay +2h, +3d or +1w (days land at the start of a working day)",
        "    \"draft offer\"       draft a commercial offer on the deal",
        "    \"require FIELD\"     refuse the move until the deal has FIELD:",
        "        \(fields) (lost_reason: lost stage only)",
      ]
    }
    return [
      "Процесс продаж TermCRM. Применить: crm pipeline import ФАЙЛ",
      "",
      "lead_sources, lost_reasons: списки { key = \"...\", name = \"...\", name_en = \"...\" }",
      "  (name_en — по желанию); просто строка, например \"Выставка\", — и ключ, и название.",
      "outcomes: такой же список — частые результаты контакта, их предлагают при записи",
      "  контакта (можно ввести и свой текст).",
      "[[pipeline]]: воронка продаж; первая — основная.",
      "  key   латинские буквы, цифры, _ и - (до 40), без повторов",
      "  name, name_en   названия по-русски и по-английски (name_en — по желанию)",
      "[[pipeline.stage]]: этапы воронки, в этом порядке:",
      "  key, name, name_en   как выше",
      "  kind   \"open\" (открыт, по умолчанию), \"won\" (выиграна) или \"lost\" (проиграна);",
      "         первый этап открыт, этапов won и lost ровно по одному",
      "  probability        вероятность сделки на этапе, 0-100 (обязательно)",
      "  stuck_after_days   открытая сделка на этапе дольше «зависла», 1-3650 (по желанию)",
      "  on_enter           что происходит при входе в этап (по желанию), список из:",
      "    \"plan ВИД +3d \\\"тема\\\"\"  запланировать контакт ответственному;",
      "        ВИД: \(kinds);",
      "        срок +2h, +3d или +1w (дни — к началу рабочего дня)",
      "    \"draft offer\"       создать черновик КП по сделке",
      "    \"require ПОЛЕ\"      не пускать сделку на этап, пока у неё нет ПОЛЯ:",
      "        \(fields) (lost_reason — только на этапе lost)",
    ]
  }

  /// A TOML basic string.
  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if u.value < 0x20 || u.value == 0x7F {
          out += String(format: "\\u%04X", u.value)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}

/// Reads the parsed TOML into a FunnelConfig, collecting every structural problem with its line.
private struct Reader {
  let l: Language
  let source: SourceMap
  var issues: [(line: Int?, message: String)] = []
  /// Tables with unknown keys.
  var typos: [Table] = []

  init(language: Language, source: SourceMap) {
    self.l = language
    self.source = source
  }

  enum Table: Equatable {
    case root
    case pipeline(Int)
    case stage(Int, Int)
  }

  // MARK: Lines

  /// The line of a table's header (for the root table: none).
  func headerLine(_ t: Table) -> Int? {
    switch t {
    case .root: return nil
    case .pipeline(let p): return source.pipelineHeaders[safe: p]?.line
    case .stage(let p, let s): return source.stageHeaders(ofPipeline: p)[safe: s]?.line
    }
  }

  /// Where a key of a table is written: its `key =` line, or a header of a sub-table
  /// named after it; otherwise the table's header.
  func line(of key: String, in t: Table) -> Int? {
    let scope = source.scope(of: t)
    if let hit = source.keyLines.first(where: { scope.own.contains($0.line) && $0.key == key }) {
      return hit.line
    }
    let prefix: [String]
    switch t {
    case .root: prefix = []
    case .pipeline: prefix = ["pipeline"]
    case .stage: prefix = ["pipeline", "stage"]
    }
    if let h = source.headers.first(where: {
      scope.all.contains($0.line) && $0.path.count > prefix.count
        && Array($0.path.prefix(prefix.count)) == prefix && $0.path[prefix.count] == key
    }) {
      return h.line
    }
    return headerLine(t)
  }

  // MARK: Messages

  mutating func issue(_ line: Int?, _ context: String, _ en: String, _ ru: String) {
    issues.append((line, (context.isEmpty ? "" : context + ": ") + l.pick(en, ru)))
  }

  func typeName(_ t: TOMLType) -> String {
    switch t {
    case .string: return l.pick("a string", "строка")
    case .int: return l.pick("an integer", "целое число")
    case .double: return l.pick("a fractional number", "дробное число")
    case .bool: return l.pick("true/false", "true/false")
    case .array: return l.pick("a list [...]", "список [...]")
    case .table: return l.pick("a table", "таблица")
    case .date, .time, .dateTime: return l.pick("a date/time", "дата/время")
    }
  }

  mutating func wrongType(
    _ line: Int?, _ context: String, _ key: String, _ want: TOMLType, _ got: TOMLType
  ) {
    issue(
      line, context, "\(key) must be \(typeName(want)), not \(typeName(got))",
      "\(key): ожидается \(typeName(want)), а указано: \(typeName(got))")
  }

  /// Reports keys outside `allowed`; suggests the nearest allowed key for a typo.
  mutating func checkKeys(_ table: TOMLTable, _ allowed: [String], _ t: Table, _ context: String) {
    for key in table.keys where !allowed.contains(key) {
      typos.append(t)
      let list = allowed.joined(separator: ", ")
      var hint = ""
      if let near = allowed.min(by: { distance(key, $0) < distance(key, $1) }),
        distance(key, near) <= 2
      {
        hint = l.pick(" (did you mean «\(near)»?)", " (может быть, «\(near)»?)")
      }
      issue(
        line(of: key, in: t), context, "unknown key «\(key)»\(hint); allowed: \(list)",
        "неизвестный ключ «\(key)»\(hint); допустимы: \(list)")
    }
  }

  /// A required or optional string; nil when absent or wrong (then an issue is recorded).
  mutating func string(
    _ table: TOMLTable, _ key: String, _ t: Table, _ context: String, required: Bool
  ) -> String? {
    guard let v = table.value(key) else {
      if required { missing(key, t, context) }
      return nil
    }
    guard let s = v.string else {
      wrongType(line(of: key, in: t), context, key, .string, v.type)
      return nil
    }
    return s
  }

  mutating func int(
    _ table: TOMLTable, _ key: String, _ t: Table, _ context: String, required: Bool
  ) -> Int? {
    guard let v = table.value(key) else {
      if required { missing(key, t, context) }
      return nil
    }
    guard let n = v.int else {
      wrongType(line(of: key, in: t), context, key, .int, v.type)
      return nil
    }
    return n
  }

  mutating func missing(_ key: String, _ t: Table, _ context: String) {
    // A table with an unknown key most likely has the missing one misspelt: that is reported.
    guard !typos.contains(t) else { return }
    issue(
      headerLine(t), context, "the required key «\(key)» is missing",
      "не указан обязательный ключ «\(key)»")
  }

  func context(_ t: Table, key: String?) -> String {
    switch t {
    case .root: return ""
    case .pipeline(let p):
      let name = key.map { "«\($0)»" } ?? "#\(p + 1)"
      return l.pick("pipeline \(name)", "воронка \(name)")
    case .stage(_, let s):
      let name = key.map { "«\($0)»" } ?? "#\(s + 1)"
      return l.pick("stage \(name)", "этап \(name)")
    }
  }

  // MARK: Reading

  mutating func read(_ root: TOMLTable) -> FunnelConfig? {
    checkKeys(root, FunnelConfigFile.rootKeys, .root, "")
    let leadSources = choices(root, "lead_sources")
    let lostReasons = choices(root, "lost_reasons")
    let outcomes = choices(root, "outcomes")
    guard let value = root.value("pipeline") else {
      issue(
        nil, "",
        "no [[pipeline]] table: the file needs at least one pipeline with its [[pipeline.stage]] tables",
        "нет таблицы [[pipeline]]: нужна хотя бы одна воронка со своими таблицами [[pipeline.stage]]"
      )
      return nil
    }
    guard let array = value.array, array.allSatisfy({ $0.table?.inline == false }) else {
      issue(
        line(of: "pipeline", in: .root), "",
        "write each pipeline as a [[pipeline]] table",
        "записывайте каждую воронку таблицей [[pipeline]]")
      return nil
    }
    var pipelines: [PipelineDefinition] = []
    var complete = true
    for (p, element) in array.enumerated() {
      if let pipeline = self.pipeline(element.table!, p) {
        pipelines.append(pipeline)
      } else {
        complete = false
      }
    }
    guard complete, let leadSources, let lostReasons, let outcomes else { return nil }
    return FunnelConfig(
      pipelines: pipelines, leadSources: leadSources, lostReasons: lostReasons, outcomes: outcomes)
  }

  mutating func choices(_ root: TOMLTable, _ name: String) -> [Choice]? {
    guard let value = root.value(name) else { return [] }
    let at = line(of: name, in: .root)
    guard let array = value.array else {
      wrongType(at, "", name, .array, value.type)
      return nil
    }
    var out: [Choice] = []
    var complete = true
    for (i, element) in array.enumerated() {
      let context = l.pick("\(name), item \(i + 1)", "\(name), элемент \(i + 1)")
      if let s = element.string {
        out.append(Choice(key: s, name: s))
        continue
      }
      guard let table = element.table else {
        issue(
          at, context,
          "expected a string or { key = \"...\", name = \"...\" }, not \(typeName(element.type))",
          "ожидается строка или { key = \"...\", name = \"...\" }, а указано: \(typeName(element.type))"
        )
        complete = false
        continue
      }
      let before = issues.count
      for key in table.keys where !FunnelConfigFile.choiceKeys.contains(key) {
        let list = FunnelConfigFile.choiceKeys.joined(separator: ", ")
        issue(
          at, context, "unknown key «\(key)»; allowed: \(list)",
          "неизвестный ключ «\(key)»; допустимы: \(list)")
      }
      var fields: [String: String] = [:]
      for key in FunnelConfigFile.choiceKeys {
        guard let v = table.value(key) else {
          if key != "name_en" {
            issue(
              at, context, "the required key «\(key)» is missing",
              "не указан обязательный ключ «\(key)»")
          }
          continue
        }
        if let s = v.string {
          fields[key] = s
        } else {
          wrongType(at, context, key, .string, v.type)
        }
      }
      if issues.count > before {
        complete = false
        continue
      }
      out.append(
        Choice(key: fields["key"]!, name: fields["name"]!, nameEn: fields["name_en"] ?? ""))
    }
    return complete ? out : nil
  }

  mutating func pipeline(_ table: TOMLTable, _ p: Int) -> PipelineDefinition? {
    let t = Table.pipeline(p)
    let context = self.context(t, key: table.value("key")?.string)
    let before = issues.count
    checkKeys(table, FunnelConfigFile.pipelineKeys, t, context)
    let key = string(table, "key", t, context, required: true)
    let name = string(table, "name", t, context, required: true)
    let nameEn = string(table, "name_en", t, context, required: false)
    var stages: [StageDefinition] = []
    if let value = table.value("stage") {
      if let array = value.array, array.allSatisfy({ $0.table?.inline == false }) {
        for (s, element) in array.enumerated() {
          if let stage = stage(element.table!, p, s) { stages.append(stage) }
        }
      } else {
        issue(
          line(of: "stage", in: t), context, "write each stage as a [[pipeline.stage]] table",
          "записывайте каждый этап таблицей [[pipeline.stage]]")
      }
    } else {
      issue(
        headerLine(t), context, "no stages: add [[pipeline.stage]] tables after this one",
        "нет этапов: добавьте таблицы [[pipeline.stage]] после этой")
    }
    guard issues.count == before, let key, let name else { return nil }
    return PipelineDefinition(key: key, name: name, nameEn: nameEn ?? "", stages: stages)
  }

  mutating func stage(_ table: TOMLTable, _ p: Int, _ s: Int) -> StageDefinition? {
    let t = Table.stage(p, s)
    let context = self.context(t, key: table.value("key")?.string)
    let before = issues.count
    checkKeys(table, FunnelConfigFile.stageKeys, t, context)
    let key = string(table, "key", t, context, required: true)
    let name = string(table, "name", t, context, required: true)
    let nameEn = string(table, "name_en", t, context, required: false)
    let probability = int(table, "probability", t, context, required: true)
    let stuckDays = int(table, "stuck_after_days", t, context, required: false)
    var kind = StageKind.open
    if let text = string(table, "kind", t, context, required: false) {
      if let k = StageKind(rawValue: text) {
        kind = k
      } else {
        let kinds = StageKind.allCases.map(\.rawValue).joined(separator: ", ")
        issue(
          line(of: "kind", in: t), context, "kind «\(text)»: use one of \(kinds)",
          "kind «\(text)»: допустимо \(kinds)")
      }
    }
    var actions: [EntryAction] = []
    if let value = table.value("on_enter") {
      let at = line(of: "on_enter", in: t)
      if let array = value.array {
        for element in array {
          guard let text = element.string else {
            issue(
              at, context, "on_enter: each action is a string, not \(typeName(element.type))",
              "on_enter: каждое действие — строка, а указано: \(typeName(element.type))")
            continue
          }
          do {
            actions.append(try EntryAction.parse(text, language: l))
          } catch {
            issue(at, context, "on_enter: " + error.message(l), "on_enter: " + error.message(l))
          }
        }
      } else {
        wrongType(at, context, "on_enter", .array, value.type)
      }
    }
    guard issues.count == before, let key, let name, let probability else { return nil }
    return StageDefinition(
      key: key, name: name, nameEn: nameEn ?? "", kind: kind, probability: probability,
      stuckDays: stuckDays, actions: actions)
  }

  // MARK: Semantic errors

  enum Spot: Equatable {
    case pipeline(Int)
    case stage(Int, Int)
  }

  /// The line and message for an error of `FunnelConfig.validate`, whose field names the
  /// pipeline and stage by key ("pipeline sales, stage offer") or the list ("lead_sources").
  func locate(_ original: CRMError, in config: FunnelConfig) -> (Int?, String) {
    guard case .invalid(let field, let problem) = original else {
      return (nil, original.message(l))
    }
    if FunnelConfigFile.rootKeys.contains(field) {
      return (line(of: field, in: .root), "\(field): \(problem)")
    }
    var spots: [Spot] = []
    for (p, pipeline) in config.pipelines.enumerated() {
      if field == "pipeline \(pipeline.key)" { spots.append(.pipeline(p)) }
      for (s, stage) in pipeline.stages.enumerated()
      where field == "pipeline \(pipeline.key), stage \(stage.key)" {
        spots.append(.stage(p, s))
      }
    }
    guard var spot = spots.last else { return (nil, original.message(l)) }
    // A key used twice names two places. validate() stops at the first problem in file order,
    // so the place is the earliest one whose later namesakes can go without changing the error.
    search: for (i, candidate) in spots.dropLast().enumerated() {
      var trimmed = config
      for later in spots[(i + 1)...].reversed() {
        if case .stage(let p, let s) = later { trimmed.pipelines[p].stages.remove(at: s) }
      }
      for later in spots[(i + 1)...].reversed() {
        if case .pipeline(let p) = later { trimmed.pipelines.remove(at: p) }
      }
      do {
        try trimmed.validate(language: l)
      } catch  where error == original {
        spot = candidate
        break search
      } catch {}
    }
    switch spot {
    case .pipeline(let p):
      let t = Table.pipeline(p)
      return (headerLine(t), context(t, key: config.pipelines[p].key) + ": " + problem)
    case .stage(let p, let s):
      let t = Table.stage(p, s)
      return (headerLine(t), context(t, key: config.pipelines[p].stages[s].key) + ": " + problem)
    }
  }
}

/// Edit distance, for "did you mean".
private func distance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
  var row = Array(0...b.count)
  for i in 1...a.count {
    var next = [i] + Array(repeating: 0, count: b.count)
    for j in 1...b.count {
      next[j] = min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    row = next
  }
  return row[b.count]
}

extension TOMLTable {
  /// The value under `key`, if any.
  fileprivate func value(_ key: String) -> TOMLValue? {
    contains(key: key) ? (self[key] as TOMLValueConvertible?)?.tomlValue : nil
  }
}

extension Array {
  fileprivate subscript(safe i: Int) -> Element? {
    indices.contains(i) ? self[i] : nil
  }
}

/// Where tables and keys are in the text. TOML syntax has been checked by the time this is
/// used, so a light scan is enough: it skips strings (including multi-line ones), comments and
/// the inside of multi-line arrays, and records table headers and the keys that start lines.
private struct SourceMap {
  struct Header {
    var line: Int
    var path: [String]
    var isArray: Bool
    /// The name after `[` / `[[` (and spaces) starts with neither a key character nor a quote
    /// (`[%]`, `[ёлка]`, a `[` ending its line). toml++ asserts it never sees that (an abort in
    /// a debug build, undefined behaviour in a release one), so `parse` refuses it first.
    var startsBadly = false
  }

  var headers: [Header] = []
  /// The first component of the key of every `key = value` line.
  var keyLines: [(line: Int, key: String)] = []
  var lineCount = 0

  /// A bare key character (A-Z a-z 0-9 _ -) or a quote.
  static func startsKey(_ c: Unicode.Scalar) -> Bool {
    c.isASCII
      && (c.properties.isAlphabetic || ("0"..."9").contains(c)
        || "_-\"'".unicodeScalars.contains(c))
  }

  init(_ text: String) {
    var lines: [[Unicode.Scalar]] = [[]]
    for u in text.unicodeScalars {
      if u == "\n" { lines.append([]) } else { lines[lines.count - 1].append(u) }
    }
    lineCount = lines.count
    if lines[0].first == "\u{FEFF}" { lines[0].removeFirst() }
    enum Open { case none, basic, literal }
    var open = Open.none
    var depth = 0
    for (index, chars) in lines.enumerated() {
      let lineNo = index + 1
      var i = 0
      func at(_ k: Int) -> Unicode.Scalar? { k < chars.count ? chars[k] : nil }
      func starts(_ s: String, _ k: Int) -> Bool {
        Array(s.unicodeScalars).enumerated().allSatisfy { at(k + $0.offset) == $0.element }
      }
      if open == .none && depth == 0 {
        while let c = at(i), c == " " || c == "\t" || c == "\r" { i += 1 }
        if at(i) == "[" {
          let isArray = at(i + 1) == "["
          var k = i + (isArray ? 2 : 1)
          var header = Header(line: lineNo, path: [], isArray: isArray)
          var j = k
          while let c = at(j), c == " " || c == "\t" { j += 1 }
          if let c = at(j) {
            header.startsBadly = !Self.startsKey(c) && c != "]"
          } else {
            header.startsBadly = index < lines.count - 1  // a line break follows
          }
          header.path = keyPath(chars, &k)
          headers.append(header)
          continue
        }
        var k = i
        let path = keyPath(chars, &k)
        while let c = at(k), c == " " || c == "\t" { k += 1 }
        if let first = path.first, at(k) == "=" {
          keyLines.append((lineNo, first))
          i = k + 1
        }
      }
      while i < chars.count {
        switch open {
        case .basic:
          if chars[i] == "\\" {
            i += 2
          } else if starts("\"\"\"", i) {
            i += 3
            while at(i) == "\"" { i += 1 }
            open = .none
          } else {
            i += 1
          }
          continue
        case .literal:
          if starts("'''", i) {
            i += 3
            while at(i) == "'" { i += 1 }
            open = .none
          } else {
            i += 1
          }
          continue
        case .none: break
        }
        let c = chars[i]
        if c == "#" { break }
        if starts("\"\"\"", i) {
          open = .basic
          i += 3
        } else if starts("'''", i) {
          open = .literal
          i += 3
        } else if c == "\"" || c == "'" {
          i += 1
          while i < chars.count && chars[i] != c {
            i += (c == "\"" && chars[i] == "\\") ? 2 : 1
          }
          i += 1
        } else {
          if c == "[" || c == "{" { depth += 1 }
          if c == "]" || c == "}" { depth = max(0, depth - 1) }
          i += 1
        }
      }
    }
  }

  /// Reads a dotted key (`a."b c".d`) at `k`; stops after it.
  private func keyPath(_ chars: [Unicode.Scalar], _ k: inout Int) -> [String] {
    var path: [String] = []
    func skipSpace() {
      while k < chars.count && (chars[k] == " " || chars[k] == "\t") { k += 1 }
    }
    while true {
      skipSpace()
      guard k < chars.count else { return path }
      let c = chars[k]
      var part = String.UnicodeScalarView()
      if c == "\"" || c == "'" {
        k += 1
        while k < chars.count && chars[k] != c {
          if c == "\"" && chars[k] == "\\" && k + 1 < chars.count {
            k += 1
          }
          part.append(chars[k])
          k += 1
        }
        k += 1
      } else {
        while k < chars.count,
          chars[k].isASCII
            && (chars[k].properties.isAlphabetic || ("0"..."9").contains(chars[k])
              || chars[k] == "_" || chars[k] == "-")
        {
          part.append(chars[k])
          k += 1
        }
        if part.isEmpty { return path }
      }
      path.append(String(part))
      skipSpace()
      guard k < chars.count, chars[k] == "." else { return path }
      k += 1
    }
  }

  var pipelineHeaders: [Header] {
    headers.filter { $0.isArray && $0.path == ["pipeline"] }
  }

  /// The `[[pipeline.stage]]` headers that follow the p-th `[[pipeline]]` header.
  func stageHeaders(ofPipeline p: Int) -> [Header] {
    let pipelines = pipelineHeaders
    guard let start = pipelines[safe: p]?.line else { return [] }
    let end = pipelines[safe: p + 1]?.line ?? Int.max
    return headers.filter {
      $0.isArray && $0.path == ["pipeline", "stage"] && $0.line > start && $0.line < end
    }
  }

  /// A table's own lines (up to the next header) and all its lines (with its sub-tables).
  func scope(of t: Reader.Table) -> (own: Range<Int>, all: Range<Int>) {
    let firstHeader = headers.first?.line ?? (lineCount + 1)
    switch t {
    case .root:
      return (1..<firstHeader, 1..<(lineCount + 1))
    case .pipeline(let p):
      guard let start = pipelineHeaders[safe: p]?.line else { return (0..<0, 0..<0) }
      let next = pipelineHeaders[safe: p + 1]?.line ?? (lineCount + 1)
      return (start..<nextHeader(after: start), start..<next)
    case .stage(let p, let s):
      let stages = stageHeaders(ofPipeline: p)
      guard let start = stages[safe: s]?.line else { return (0..<0, 0..<0) }
      let ends = [
        stages[safe: s + 1]?.line, pipelineHeaders[safe: p + 1]?.line, lineCount + 1,
      ]
      return (start..<nextHeader(after: start), start..<ends.compactMap { $0 }.min()!)
    }
  }

  private func nextHeader(after line: Int) -> Int {
    headers.first { $0.line > line }?.line ?? (lineCount + 1)
  }
}
