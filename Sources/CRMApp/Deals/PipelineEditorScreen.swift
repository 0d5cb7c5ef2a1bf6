import CRMCore
import Foundation
import TerminalUI

/// Every change to the sales-process configuration from the screens: read the stored
/// configuration, change a copy, apply it whole. `PipelineService.apply` checks it and changes
/// nothing when any part is wrong; the error is then shown in the message line.
@MainActor
enum ConfigEdit {
  static func run(
    _ context: AppContext, app: App, _ edit: (inout FunnelConfig) throws -> Void
  ) -> Result<PipelineChanges, CRMError> {
    let service = context.core.pipelines
    do {
      var config = try service.current()
      try edit(&config)
      return .success(try service.apply(config))
    } catch {
      let e = CRMDatabase.map(error, path: context.db.path)
      app.flash(e.message(context.language), error: true)
      return .failure(e)
    }
  }
}

/// What a form of a configuration list does: edit the entry with this key, or add one after
/// the entry with that key (nil: none selected; each list says where the entry goes then).
enum EntryFormMode {
  case edit(String)
  case add(after: String?)
}

/// A screen that edits one list of the funnel configuration (the stages, the lost reasons, the
/// lead sources): every change goes through `ConfigEdit.run`, then the list reloads.
@MainActor
protocol ConfigListEditor: ListScreen {
  var selectKey: String? { get set }
  var problem: String? { get set }
  var onChange: () -> Void { get }
  /// The key of the selected entry.
  var selectedKey: String? { get }
}

extension ConfigListEditor {
  /// The entry to select after a read: the one an edit asked for (`selectKey`), once.
  func selectedAfterEdit(in keys: [String]) -> Int? {
    defer { selectKey = nil }
    return selectKey.flatMap { k in keys.firstIndex(of: k) }
  }

  /// Applies `edit` to the configuration; on success reselects `select` (or the current entry)
  /// and reloads, on a refusal keeps the reason to show.
  func applyEdit(app: App, select: String?, _ edit: (inout FunnelConfig) throws -> Void)
    -> Result<PipelineChanges, CRMError>
  {
    let result = ConfigEdit.run(context, app: app, edit)
    switch result {
    case .success:
      selectKey = select ?? selectedKey
      stale = true
      onChange()
    case .failure(let e):
      problem = e.message(l)
    }
    return result
  }
}

/// The stages of a pipeline and how to change them: edit a stage (names, probability, stuck
/// days, entry actions), add one after the selected one, delete (refused while it holds deals),
/// move up and down; `L` and `S` open the lost reasons and lead sources. Every change is applied
/// at once through `PipelineService.apply`; a refusal leaves everything as it was.
@MainActor
public final class PipelineEditorScreen: ConfigListEditor {
  public let tab: Int
  public let context: AppContext
  let onChange: () -> Void
  public private(set) var pipelineKey: String?
  public private(set) var config: FunnelConfig?
  var list = ListState()
  var stale = true
  var selectKey: String?
  /// The last refusal in full (the message line may cut it).
  public internal(set) var problem: String?

  /// `pipeline` is a pipeline key (nil = the default one); `onChange` runs after each saved
  /// change, so the screen below can reload.
  public init(
    context: AppContext, pipeline: String? = nil, tab: Int = 6, onChange: @escaping () -> Void = {}
  ) {
    self.context = context
    self.pipelineKey = pipeline
    self.tab = tab
    self.onChange = onChange
  }

  public func dataChanged() { stale = true }

  public var pipeline: PipelineDefinition? {
    config?.pipelines.first { $0.key == pipelineKey }
  }

  public var stages: [StageDefinition] { pipeline?.stages ?? [] }

  var selectedKey: String? { selected?.key }
  var selected: StageDefinition? {
    stages.indices.contains(list.selected) ? stages[list.selected] : nil
  }

  func readRows() throws {
    // A failed read keeps the old configuration, and still picks a pipeline when none is.
    defer { if pipeline == nil { pipelineKey = config?.pipelines.first?.key } }
    config = try context.core.pipelines.current()
  }
  var rowCount: Int { stages.count }
  func rowToSelect() -> Int? { selectedAfterEdit(in: stages.map(\.key)) }

  static func kindName(_ k: StageKind, _ l: Language) -> String {
    switch k {
    case .open: return l.pick("open", "открытый")
    case .won: return l.pick("won", "выигрыш")
    case .lost: return l.pick("lost", "проигрыш")
    }
  }

  static func actionsText(_ actions: [EntryAction]) -> String {
    actions.map(\.text).joined(separator: "; ")
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard rows > 0, width > 0 else { return }
    refresh(app: nil)
    let col = canvas.put(
      top, 1, l.pick("Stages of «", "Этапы воронки «") + (pipeline?.name(l) ?? "") + "»", .bold,
      maxWidth: max(0, width - 2))
    canvas.put(
      top, col,
      l.pick(" · every change is saved at once", " · изменения сохраняются сразу"), .dim,
      maxWidth: max(0, width - col - 1))
    // Below the table: the selected stage's entry actions in full, then the last refusal.
    let problemLines = problem.map { wrap($0, width: width - 2) } ?? []
    let detailLines =
      selected.flatMap { s in
        s.actions.isEmpty
          ? nil
          : wrap(
            l.pick("Entry actions of «", "Действия при входе «") + s.name(l) + "»: "
              + Self.actionsText(s.actions), width: width - 2)
      } ?? []
    let below = detailLines.count + problemLines.count
    let tableRows = max(2, min(stages.count + 1, rows - 2 - below))
    list.visible = max(1, tableRows - 1)
    list.clamp()
    let columns = [
      Column(l.pick("Key", "Ключ"), width: 10), Column(l.pick("Name", "Название"), width: 20),
      Column(l.pick("Kind", "Вид"), width: 9),
      Column(l.pick("Prob.", "Вер."), width: 5, alignRight: true),
      Column(l.pick("Stuck", "Завис."), width: 6, alignRight: true),
      Column(l.pick("Entry actions", "Действия при входе"), width: 0),
    ]
    let cells = stages.dropFirst(list.top).prefix(list.visible).map { s -> [String] in
      [
        s.key, s.name(l), Self.kindName(s.kind, l), "\(s.probability)%",
        s.stuckDays.map { l.pick("\($0) d", "\($0) дн.") } ?? "—", Self.actionsText(s.actions),
      ]
    }
    guard rows > 1 else { return }
    drawTable(
      &canvas, top: top + 1, rows: min(tableRows, rows - 1), width: width, columns: columns,
      cells: Array(cells), firstIndex: list.top, selected: list.selected
    ) { [stages] i in
      stages.indices.contains(i) && stages[i].kind == .lost ? .dim : .plain
    }
    var r = top + 1 + tableRows + 1
    for line in detailLines where r < top + rows {
      canvas.line(&r, line, .dim, width: width)
    }
    for line in problemLines where r < top + rows {
      canvas.line(&r, line, .error, width: width)
    }
  }

  public func handle(_ key: Key, app: App) {
    problem = nil
    if moveSelection(key, app: app) { return }
    let action = keys.action(for: key)
    switch action {
    case .edit:
      guard let s = selected, let p = pipelineKey else { return }
      app.push(
        StageFormScreen(
          context: context, editor: self, pipelineKey: p, stage: s, mode: .edit(s.key), tab: tab))
    case .add:
      guard let p = pipelineKey else { return }
      app.push(
        StageFormScreen(
          context: context, editor: self, pipelineKey: p, stage: nil,
          mode: .add(after: selected?.key), tab: tab))
    case .delete:
      guard let s = selected else { return }
      app.ask(
        l.pick("Delete stage", "Удаление этапа"),
        l.pick(
          "Delete the stage «\(s.name(l))» (\(s.key))?", "Удалить этап «\(s.name(l))» (\(s.key))?")
      ) { [weak self] in
        self?.delete(s, app: app)
      }
    case .reorder:
      guard let s = selected else { return }
      move(s, by: KeyboardLayout.latin(key) == .char("K") ? -1 : 1, app: app)
    case .lostReasons:
      let which: ChoiceListScreen.Which
      switch KeyboardLayout.latin(key) {
      case .char("S"): which = .leadSources
      case .char("O"): which = .outcomes
      default: which = .lostReasons
      }
      app.push(ChoiceListScreen(context: context, which: which, tab: tab, onChange: onChange))
    case .nextPipeline:
      let all = config?.pipelines ?? []
      guard all.count > 1, let i = all.firstIndex(where: { $0.key == pipelineKey }) else {
        app.flash(l.pick("There is one pipeline.", "Воронка одна."))
        return
      }
      pipelineKey = all[(i + 1) % all.count].key
      list = ListState()
      stale = true
    case .back:
      app.pop()
    default:
      break
    }
  }

  /// Applies `edit` to this pipeline's definition; true when it was saved.
  @discardableResult
  func change(
    app: App, select: String? = nil, _ edit: @escaping (inout PipelineDefinition) throws -> Void
  ) -> Result<PipelineChanges, CRMError> {
    let key = pipelineKey
    return applyEdit(app: app, select: select) { config in
      guard let i = config.pipelines.firstIndex(where: { $0.key == key }) else {
        throw CRMError.other(
          context.language.pick("the pipeline is gone", "воронки больше нет"))
      }
      try edit(&config.pipelines[i])
    }
  }

  func delete(_ s: StageDefinition, app: App) {
    let result = change(app: app) { p in p.stages.removeAll { $0.key == s.key } }
    if case .success(let changes) = result {
      app.flash(
        changes.archived.isEmpty
          ? l.pick("Stage «\(s.name(l))» deleted.", "Этап «\(s.name(l))» удалён.")
          : l.pick(
            "Stage «\(s.name(l))» removed; deal histories and reports still name it.",
            "Этап «\(s.name(l))» убран; в истории сделок и отчётах он остаётся."))
    }
  }

  func move(_ s: StageDefinition, by delta: Int, app: App) {
    guard let i = stages.firstIndex(of: s), stages.indices.contains(i + delta) else {
      app.flash(
        delta < 0
          ? l.pick("Already the first stage.", "Этап и так первый.")
          : l.pick("Already the last stage.", "Этап и так последний."))
      return
    }
    let result = change(app: app, select: s.key) { p in p.stages.swapAt(i, i + delta) }
    if case .success = result {
      app.flash(
        delta < 0
          ? l.pick("Stage «\(s.name(l))» moved up.", "Этап «\(s.name(l))» перемещён выше.")
          : l.pick("Stage «\(s.name(l))» moved down.", "Этап «\(s.name(l))» перемещён ниже."))
    }
  }
}

/// Edits one stage, or adds one after a given stage (its key asked): names, probability,
/// stuck days and the entry actions as `;`-separated text.
@MainActor
final class StageFormScreen: FormScreen {
  let mode: EntryFormMode
  weak var editor: PipelineEditorScreen?
  let pipelineKey: String

  init(
    context: AppContext, editor: PipelineEditorScreen, pipelineKey: String,
    stage: StageDefinition?, mode: EntryFormMode, tab: Int
  ) {
    self.mode = mode
    self.editor = editor
    self.pipelineKey = pipelineKey
    let l = context.language
    let s =
      stage ?? StageDefinition(key: "", name: "", probability: 50, stuckDays: 7, actions: [])
    var fields: [FormField] = []
    if case .add = mode {
      fields.append(
        FormField(
          key: "key", label: l.pick("Key", "Ключ"),
          note: l.pick("Latin letters, digits, _ and -", "латиница, цифры, _ и -")))
    }
    fields += [
      FormField(key: "name", label: l.pick("Name", "Название"), value: s.name),
      FormField(key: "name_en", label: l.pick("English name", "Название (англ.)"), value: s.nameEn),
      FormField(
        key: "probability", label: l.pick("Probability, %", "Вероятность, %"),
        value: String(s.probability), note: "0–100"),
      FormField(
        key: "stuck", label: l.pick("Stuck after, days", "Зависает через, дн."),
        value: s.stuckDays.map(String.init) ?? "",
        note: l.pick("empty = never", "пусто — не зависает")),
      FormField(
        key: "actions", label: l.pick("Entry actions", "Действия при входе"),
        value: PipelineEditorScreen.actionsText(s.actions),
        note: l.pick(
          "; between: plan call +3d \"subject\"; draft offer; require amount",
          "через ;: plan call +3d \"тема\"; draft offer; require amount")),
    ]
    let title: String
    switch mode {
    case .edit(let key):
      title =
        l.pick("Stage ", "Этап ") + "«\(s.name(l))» (\(key), "
        + PipelineEditorScreen.kindName(s.kind, l) + ")"
    case .add(let after):
      title =
        after.map { l.pick("New stage after «\($0)»", "Новый этап после «\($0)»") }
        ?? l.pick("New stage", "Новый этап")
    }
    super.init(context: context, form: Form(title: title, fields: fields), tab: tab)
  }

  override var cancelMessage: String {
    context.language.pick("Stage not changed.", "Этап не изменён.")
  }

  /// `;`-separated actions; a `;` inside a quoted subject belongs to the subject.
  static func splitActions(_ text: String) -> [String] {
    var out: [String] = []
    var current = ""
    var quoted = false
    var escaped = false
    for ch in text {
      if escaped {
        current.append(ch)
        escaped = false
        continue
      }
      if ch == "\\" && quoted {
        current.append(ch)
        escaped = true
        continue
      }
      if ch == "\"" { quoted.toggle() }
      if ch == ";" && !quoted {
        out.append(current)
        current = ""
        continue
      }
      current.append(ch)
    }
    out.append(current)
    return out.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
  }

  /// The form field a configuration problem is about, from its wording.
  func field(for problem: String) -> String? {
    let p = problem.lowercased()
    if p.contains("key") || p.contains("ключ") {
      if case .add = mode { return "key" }
      return nil
    }
    if p.contains("probab") || p.contains("вероятн") { return "probability" }
    if p.contains("stuck") || p.contains("завис") { return "stuck" }
    if p.contains("name") || p.contains("назван") { return "name" }
    if p.contains("require") || p.contains("reason") || p.contains("причин") || p.contains("plan") {
      return "actions"
    }
    return nil
  }

  override func submit(app: App) -> Bool {
    let l = context.language
    func bad(_ field: String, _ text: String) -> Bool {
      form.setError(field, text)
      app.flash(
        form.fields.first { $0.key == field }.map { "\($0.label): \(text)" } ?? text, error: true)
      return false
    }
    guard let probability = Int(form.value("probability").trimmingSpaces()) else {
      return bad("probability", l.pick("a whole number 0–100", "целое число от 0 до 100"))
    }
    var stuck: Int?
    let stuckText = form.value("stuck").trimmingSpaces()
    if !stuckText.isEmpty {
      guard let n = Int(stuckText) else {
        return bad("stuck", l.pick("a number of days, or empty", "число дней или пусто"))
      }
      stuck = n
    }
    var actions: [EntryAction] = []
    for text in Self.splitActions(form.value("actions")) {
      do {
        actions.append(try EntryAction.parse(text, language: l))
      } catch {
        form.setError("actions", error.message(l))
        app.flash(error.message(l), error: true)
        return false
      }
    }
    let name = form.value("name").trimmingSpaces()
    let nameEn = form.value("name_en").trimmingSpaces()
    guard let editor else { return true }
    let result: Result<PipelineChanges, CRMError>
    switch mode {
    case .edit(let key):
      result = editor.change(app: app, select: key) { p in
        guard let i = p.stages.firstIndex(where: { $0.key == key }) else {
          throw CRMError.other(l.pick("the stage is gone", "этапа больше нет"))
        }
        p.stages[i].name = name
        p.stages[i].nameEn = nameEn
        p.stages[i].probability = probability
        p.stages[i].stuckDays = stuck
        p.stages[i].actions = actions
      }
    case .add(let after):
      let key = form.value("key").trimmingSpaces()
      let stage = StageDefinition(
        key: key, name: name, nameEn: nameEn, kind: .open, probability: probability,
        stuckDays: stuck, actions: actions)
      result = editor.change(app: app, select: key) { p in
        let i = after.flatMap { a in p.stages.firstIndex { $0.key == a } }.map { $0 + 1 } ?? 0
        p.stages.insert(stage, at: i)
      }
    }
    switch result {
    case .success:
      app.flash(l.pick("Stage «\(name)» saved.", "Этап «\(name)» сохранён."))
      return true
    case .failure(let e):
      editor.problem = nil  // the form shows it
      if case .invalid(_, let problem) = e, let f = field(for: problem) {
        form.setError(f, problem)
      } else {
        form.setError(nil, nil)
      }
      return false
    }
  }
}
