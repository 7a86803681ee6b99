"""One catalogue of the messages eduplan shows people, each with a stable code.

A message is one line, Chinese first then English, and says what is wrong and where.
Raise ``EduplanError(Errors.E101, path=...)``; the code is printed in front so users can
search for it and report it.
"""

from __future__ import annotations

from enum import StrEnum


class Errors(StrEnum):
    # Reading files (E1xx)
    E101 = "文件不存在：{path} / file not found: {path}"
    E102 = "文件为空：{path} / file is empty: {path}"
    E103 = "不支持的文件类型“{suffix}”：{path}（支持 .txt .docx .html .htm .pdf） / unsupported file type '{suffix}': {path}"
    E104 = "无法识别文本编码（不是 UTF-8 或 GB18030）：{path}，第 {line} 行附近 / cannot decode text (neither UTF-8 nor GB18030): {path}, near line {line}"
    E105 = "文件看起来是二进制数据而不是文本：{path} / file looks binary, not text: {path}"
    E106 = "PDF 没有文字层（可能是扫描图片），请先做文字识别：{path} / PDF has no text layer (image-only?); run OCR first: {path}"
    E107 = "无法打开 PDF：{path}（{reason}） / cannot open PDF: {path} ({reason})"
    E108 = "无法打开 Word 文档（.docx）：{path}（{reason}） / cannot open .docx: {path} ({reason})"
    E109 = "文件太大（{size_mb} MB，上限 {limit_mb} MB）：{path} / file too large ({size_mb} MB, limit {limit_mb} MB): {path}"
    E110 = "不是普通文件：{path} / not a regular file: {path}"
    E111 = "目录中没有可解析的文件（.txt .docx .html .htm .pdf）：{path} / no plan files in directory: {path}"
    E112 = "旧版 Word 格式（.doc）无法直接读取，请另存为 .docx：{path} / legacy .doc is not supported, save as .docx: {path}"
    E113 = "读取文件失败：{path}（{reason}） / cannot read file: {path} ({reason})"
    E114 = "文件中没有找到可读的正文文字：{path} / no readable text found in file: {path}"
    E115 = "文件解压后超过 {limit_mb} MB（工作计划远小于此，可能是“压缩炸弹”），已拒绝：{path} / file unpacks to more than {limit_mb} MB (a zip bomb?), refused: {path}"
    E116 = "文件中的压缩条目过多（上限 {limit} 个），不是正常的 Office 文档：{path} / too many entries in the archive (limit {limit}), not a normal Office file: {path}"
    E117 = "文件中的压缩条目“{entry}”异常（{reason}）：{path} / odd archive entry '{entry}' ({reason}): {path}"
    E118 = "文件中的压缩条目“{entry}”已损坏或与其声明的大小不符（{reason}）：{path} / archive entry '{entry}' is damaged or not the size its header says ({reason}): {path}"
    # Output (E3xx)
    E301 = "无法写入输出文件：{path}（{reason}） / cannot write output: {path} ({reason})"
    E302 = "未知输出格式“{fmt}”（可选 json、md、xlsx） / unknown output format '{fmt}' (json, md, xlsx)"

    # Platform: imports, assignments, reports (E4xx)
    E401 = "上传的文件太大（{size_mb} MB，上限 {limit_mb} MB）：{name} / upload too large ({size_mb} MB, limit {limit_mb} MB): {name}"
    E402 = "不支持的佐证材料类型“{suffix}”：{name}（支持 {allowed}） / unsupported evidence file type '{suffix}': {name} (allowed: {allowed})"
    E403 = "文件内容与扩展名不符：{name} / file content does not match its extension: {name}"
    E404 = "计划中没有识别出任何任务：{name} / no tasks found in the plan: {name}"
    E405 = "未知的组织单位“{unit}” / unknown org unit '{unit}'"
    E406 = "任务已办结，不能再填报进展：{task} / task is closed, no more progress reports: {task}"
    E407 = "任务已在新版计划中删除，不能再填报或分派：{task} / task was removed from the plan: {task}"
    E408 = "完成进度必须是 0 到 100 之间的整数，而不是“{value}” / progress must be a whole number from 0 to 100, not '{value}'"
    E409 = "报告期格式应为“YYYY-MM”，而不是“{value}” / report period must be YYYY-MM, not '{value}'"
    E410 = "完成时限 {deadline} 早于开始日期 {start} / deadline {deadline} is before the start date {start}"
    E411 = "“{unit}”不在您的管理范围内 / '{unit}' is outside your org unit"
    E412 = "目标实际值“{value}”不是数字：{target} / target actual '{value}' is not a number: {target}"
    E413 = "新版本只能替换单个计划，但文件中有 {count} 个计划：{name} / a revision must hold one plan, the file holds {count}: {name}"
    E415 = "请填写进展情况 / the progress narrative is empty"
    E416 = "用户“{user}”不属于该任务的牵头单位或配合单位 / user '{user}' does not belong to the task's lead or partner units"
    E417 = "每次最多上传 {limit} 个文件 / at most {limit} files per upload"
    E418 = "找不到要替换的计划：{plan} / no such plan to revise: {plan}"
    E419 = "教育局“{unit}”已存在 / bureau '{unit}' already exists"
    E420 = "未知的进展状态“{value}”（可选 {allowed}） / unknown progress state '{value}' (allowed: {allowed})"
    E421 = "措施 {measure} 不属于该任务 / measure {measure} does not belong to this task"
    E422 = "时间节点“{title}”（{due}）不在任务起止时间 {start} 至 {deadline} 之内 / milestone '{title}' ({due}) is outside the task's period {start} to {deadline}"
    E423 = "第 {line} 行时间节点格式应为“YYYY-MM-DD 节点内容”：{text} / line {line}: a milestone is 'YYYY-MM-DD title': {text}"
    E424 = "用户名“{user}”已被使用，请用 --admin 另取一个 / username '{user}' is taken: choose another with --admin"
    E425 = "该数据库不是演示数据库，演示不会改动其中的用户；请用 --db 指定新文件 / not a demo database: demo will not touch its users; give a new file with --db"
    E426 = "无权执行此操作：{reason} / not allowed: {reason}"

    # Hardening: accounts, tokens, sessions and their settings (E440–E449)
    E440 = "生产环境中 EDUPLAN_ALLOWED_HOSTS 不能为“*”，请列出用户访问本系统所用的域名或 IP 地址（逗号分隔） / EDUPLAN_ALLOWED_HOSTS cannot be '*' in production: list the names or addresses people use to reach the site (comma-separated)"
    E441 = "无法读取或创建密钥文件：{path}（{reason}） / cannot read or create the secret key file: {path} ({reason})"
    E442 = "密钥文件内容不完整（至少 50 个字符）：{path}；删除后会生成新密钥，所有用户需重新登录 / the secret key file is too short (50 characters at least): {path}; delete it for a new key (everyone signs in again)"
    E443 = "EDUPLAN_SITE_URL 应为“http://主机[:端口]”或“https://主机[:端口]”，而不是“{value}” / EDUPLAN_SITE_URL must be http(s)://host[:port], not '{value}'"
    E444 = "EDUPLAN_TRUSTED_PROXY_HEADER 应为一个请求头名称（如 X-Forwarded-For），而不是“{value}” / EDUPLAN_TRUSTED_PROXY_HEADER must be one header name such as X-Forwarded-For, not '{value}'"
    E445 = "接口令牌 {token} 不存在或不属于您 / API token {token} does not exist or is not yours"

    # Hardening: generic API answers, idempotent reports, closing, the org tree in the admin (E450–E459)
    E450 = "没有这个接口：{path} / no such API endpoint: {path}"
    E451 = "接口 {path} 不支持 {method} 请求（可用：{allowed}） / {method} is not allowed on {path} (allowed: {allowed})"
    E452 = "服务器内部错误，已记录，请稍后再试或联系管理员 / internal server error (logged): try again later or tell the administrator"
    E453 = "请求无法处理（HTTP {status}）：{reason} / the request cannot be handled (HTTP {status}): {reason}"
    E454 = "幂等键格式不对（1–64 个可见 ASCII 字符）：“{key}” / malformed idempotency key (1–64 visible ASCII characters): '{key}'"
    E455 = "幂等键“{key}”已用于另一项任务的进展报告 / idempotency key '{key}' was already used for a report on another assignment"
    E456 = "只有牵头单位或分派任务的管理员可以办结任务（报告“已完成”）：{task} / only the lead unit or an assigner may close the task (report it done): {task}"
    E457 = "只有系统管理员可以新建或修改没有上级单位的单位（教育局）；请选择本局内的上级单位 / only a superuser may create or edit a unit without a parent (a bureau): choose a parent in your bureau"
    E458 = "上级单位“{unit}”不在您管理的教育局内 / the parent unit '{unit}' is outside your bureau"
    # Backup and restore (E460–E469)
    E460 = "找不到要备份的数据库：{path} / no database to back up: {path}"
    E461 = "无法写入备份文件：{path}（{reason}） / cannot write the backup: {path} ({reason})"
    E462 = "找不到 {tool}：请安装与服务器版本一致的 PostgreSQL 客户端（postgresql-client） / {tool} not found: install the PostgreSQL client tools (postgresql-client) matching the server"
    E463 = "{tool} 运行失败：{reason} / {tool} failed: {reason}"
    E464 = "不是 eduplan 备份文件：{path}（{reason}） / not an eduplan backup: {path} ({reason})"
    E465 = "备份文件已损坏或被改动，未恢复任何内容：{path}（{reason}） / the backup is damaged or was altered, nothing restored: {path} ({reason})"
    E466 = "备份中是 {backup} 数据库，而本系统配置的是 {current}，不能跨数据库类型恢复 / the backup holds a {backup} database but this install uses {current}: restore into the same kind"
    E467 = "恢复目标已有数据：{database} 中 {rows} 行，{media} 中 {files} 个文件；确需覆盖请加 --force / the target already holds data: {rows} rows in {database}, {files} files in {media}: add --force to replace them"
    E468 = "恢复失败，原有数据未改动：{reason} / restore failed, nothing was changed: {reason}"
    E469 = "备份来自较新的 eduplan（{version}），含本程序不认识的 {migration}，请先升级 eduplan / the backup comes from a newer eduplan ({version}) with {migration} unknown here: upgrade eduplan first"
    # Correcting what the parser read: review page, plan page, re-imports (E470–E489)
    E470 = "找不到要更正的内容（位置 {at}），页面可能已过期，请刷新后再试 / nothing to correct at offset {at}: the page may be out of date, reload it"
    E471 = "任务“{task}”已有进展报告，不能再更正其识别结果 / task '{task}' has progress reports: what was read of it can no longer be corrected"
    E472 = "“{quote}”不在该任务的原文中，无法作为量化目标 / '{quote}' is not in this task's source text: it cannot be a target"
    E473 = "“{title}”是第一个标题，没有可以并入的上一项 / '{title}' is the first heading: there is nothing above to merge it into"
    E474 = "“{title}”已是第一级标题，不能再升级 / '{title}' is already a top-level heading"
    E475 = "“{title}”已是最低一级标题，不能再降级 / '{title}' is already at the deepest level"
    E476 = "拆分位置必须是任务“{title}”下的一句措施 / a split must start at one of the measures under task '{title}'"
    E477 = "只有教育局管理员可以更正计划的识别结果 / only a bureau admin may correct what was read of a plan"
    # Commands run without a terminal (E490–E499)
    E490 = "没有终端可以确认：请加 --yes 直接保存 / no terminal to confirm on: add --yes to save"

    # 任务分解表 (task breakdown table) in xlsx, both ways (E601–E629)
    E601 = "无法打开 Excel 文件：{name}（{reason}） / cannot open the Excel file: {name} ({reason})"
    E602 = "任务分解表只支持 .xlsx 格式，请在 Excel 或 WPS 中另存为 .xlsx：{name} / the breakdown table must be .xlsx (save it as .xlsx in Excel or WPS): {name}"
    E603 = "文件中没有找到任务分解表（表头须有“重点任务”和“任务编号”两列）：{name} / no breakdown table found (a header row with 重点任务 and 任务编号 is needed): {name}"
    E604 = "表头中缺少“{column}”列，无法把各行对应到任务 / the header row lacks the '{column}' column: rows cannot be matched to tasks"
    E605 = "未知的单位“{unit}” / unknown unit '{unit}'"
    E606 = "单位名称“{unit}”对应 {count} 个单位，请写全称或从下拉列表中选择 / unit name '{unit}' matches {count} units: pick one from the list"
    E607 = "单位“{unit}”已停用 / unit '{unit}' is no longer active"
    E608 = "牵头单位只能填一个：“{value}”；其余单位请填入“配合单位” / only one lead unit: '{value}'; put the others under 配合单位"
    E609 = "未知的责任人“{user}” / unknown person '{user}'"
    E610 = "责任人“{user}”对应 {count} 个用户，请写用户名 / person '{user}' matches {count} users: write the username"
    E611 = "责任人只能填一人：“{value}” / only one person can own a task: '{value}'"
    E612 = "责任人“{user}”不属于该行的牵头单位或配合单位 / '{user}' belongs to neither the lead nor a partner unit of this row"
    E613 = "无法识别的日期“{value}”，请写成 2025-10-31 这样的日期 / not a date: '{value}' (write it as 2025-10-31)"
    E614 = "完成时限 {deadline} 不在计划期限 {start} 至 {end} 之内 / deadline {deadline} is outside the plan period {start} to {end}"
    E615 = "完成时限 {deadline} 早于开始日期 {start} / deadline {deadline} is before the start date {start}"
    E616 = "时间节点“{title}”（{due}）晚于完成时限 {deadline}，请先在任务页面调整时间节点 / milestone '{title}' ({due}) falls after the deadline {deadline}: change the milestones on the task page first"
    E617 = "无法识别的任务编号“{key}”（应为 T123 或 T123-M45，请勿修改此列） / not a task key: '{key}' (T123 or T123-M45; leave this column as exported)"
    E618 = "编号 {key} 不是本计划的任务 / key {key} is not a task of this plan"
    E619 = "编号 {key} 的任务已在第 {version} 版计划中删除 / the task {key} was removed in version {version} of the plan"
    E620 = "编号 {key} 的措施不属于该任务或已删除 / the measure {key} does not belong to this task or was removed"
    E621 = "编号 {key} 重复出现（第 {rows} 行），每个任务只能有一行 / key {key} appears more than once (rows {rows}): one row per task"
    E622 = "有任务编号的行“重点任务”不能为空；任务只能通过导入修订版计划删除 / a row with a task key needs its 重点任务: tasks are removed by importing a revised plan"
    E623 = "请填写牵头单位：填了配合单位、责任人或完成时限的行必须有牵头单位 / fill in the lead unit: partners, owner or deadline need one"
    E624 = "已分派的任务不能通过分解表取消分派（原牵头单位：{unit}） / an assigned task cannot be unassigned through the table (lead unit was {unit})"
    E625 = "无法识别的部分标题“{text}” / unknown section heading '{text}'"
    E626 = "新增任务行上方没有部分标题行，无法确定它属于哪一部分 / a new task row needs a section heading row above it"
    E627 = "无法识别的行：没有任务编号，也没有重点任务 / cannot tell what this row is: no task key and no 重点任务"
    E628 = "该行没有任务编号，但与已有任务 {key}“{title}”同名；如是已有任务，请恢复其编号 / no task key, but the same title as task {key}: restore its key if it is that task"
    E629 = "任务分解表中有 {count} 处问题，没有保存任何改动 / the breakdown table has {count} problems: nothing was saved"

    # JSON API (E5xx)
    E501 = "请先登录或提供有效的接口令牌（Authorization: Bearer …） / not signed in: log in or send a valid API token (Authorization: Bearer …)"
    E502 = "用户名或密码错误 / wrong username or password"
    E503 = "登录失败次数过多，账号已暂时锁定，请稍后再试 / too many failed logins, locked for a while: try again later"
    E504 = "无权执行此操作：{reason} / you are not allowed to do this"
    E505 = "{reason} / not found, or not visible to you"
    E506 = "请求数据有误：{detail} / invalid request: {detail}"
    E507 = "CSRF 校验失败：以登录会话调用接口时请带上 X-CSRFToken 请求头 / CSRF check failed: send the X-CSRFToken header with session requests"
    E508 = "量化目标 {target} 不属于该任务 / target {target} does not belong to this task"

    # Reports for people: 工作台账, 督查通报, PDF (E630–E659)
    E630 = "服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 文件 / LibreOffice is not installed: no PDF, download the .docx instead"
    E631 = "转换 PDF 失败：{path}（{reason}） / PDF conversion failed: {path} ({reason})"
    E632 = "转换 PDF 超时（超过 {seconds} 秒）：{path} / PDF conversion timed out after {seconds} s: {path}"
    E633 = "所选范围内没有任务，无法生成督查通报 / no tasks in the chosen scope: nothing to put in a bulletin"
    E634 = "报告期 {period} 尚未开始（今天是 {today}），请选择本月或以前的月份 / period {period} has not begun (today is {today}): choose this month or an earlier one"

    # Comparing plan files on the command line (E350–E359)
    E350 = "对比至少需要 2 个计划，所给文件中共有 {count} 个：{paths} / comparing needs at least 2 plans, the files hold {count}: {paths}"
    E351 = "对比报告只能写成 .xlsx 或 .html 文件：{path} / a comparison report is written as .xlsx or .html: {path}"
    # Comparing plans on the page (E360–E369)
    E360 = "请至少选择 2 个计划进行对比（已选 {count} 个） / choose at least 2 plans to compare ({count} chosen)"
    E361 = "一次最多对比 {most} 个计划（已选 {count} 个），请减少所选计划 / compare at most {most} plans at a time ({count} chosen)"

    # Indicators and school data (E7xx)
    E701 = "“{value}”不是数字：{element} / '{value}' is not a number: {element}"
    E702 = "“{value}”应为整数：{element} / '{value}' must be a whole number: {element}"
    E703 = "{element} 的数值 {value} 超出允许范围 {low}–{high} / {element}: {value} is outside {low}–{high}"
    E704 = "期间格式应为 2025、2025S1、2025Q3 或 2025-06，而不是“{value}” / a period is 2025, 2025S1, 2025Q3 or 2025-06, not '{value}'"
    E705 = "{element} 为必填项 / {element} is required"
    E706 = "{numerator}（{num}）不能大于 {denominator}（{den}） / {numerator} ({num}) cannot exceed {denominator} ({den})"
    E707 = "“{unit}”不填报数据表“{data_set}” / '{unit}' does not report the data set '{data_set}'"
    E708 = "数据表“{data_set}”{period} 已提交，不能再修改；如需更正请联系审核人退回 / '{data_set}' {period} is submitted and locked: ask the reviewer to send it back"
    E709 = "只有已提交的报送可以审核或退回（当前：{state}） / only a submitted form can be accepted or sent back (now: {state})"
    E710 = "退回时请写明原因 / say why the form is sent back"
    E711 = "期间 {period} 与数据表的报送周期（{kind}）不符 / period {period} is not a {kind} period, as the data set needs"
    E712 = "指标公式有误：{detail} / indicator formula is wrong: {detail}"
    E713 = "未知的指标“{indicator}” / unknown indicator '{indicator}'"
    E714 = "未知的数据表“{data_set}” / unknown data set '{data_set}'"
    E716 = "目标“{target}”已绑定指标，实际值由学校数据计算，不能手工填写 / target '{target}' is bound to an indicator: its actual comes from the schools' data"
    E717 = "表单有 {count} 处问题，已保存为草稿；第一处：{first} / the form has {count} problem(s) and was kept as a draft"
    E715 = "期间 {period} 尚未开始（今天是 {today}） / period {period} has not begun (today is {today})"
    # Data-entry pages (E720–E729)
    E720 = "未知的操作“{action}”，请使用页面上的按钮 / unknown action '{action}': use the buttons on the page"

    # Data set templates in xlsx, many units at once (E740–E749)
    E740 = "文件中没有找到数据表填报模板（请先在本系统下载模板，填写后上传）：{name} / no data set template in the file (download the template, fill it in, upload it): {name}"
    E741 = "这是数据表“{found}”{found_period} 的模板，而不是“{data_set}”{period} 的，请下载正确的模板 / this is the template of '{found}' {found_period}, not of '{data_set}' {period}: download the right one"
    E742 = "数据表模板只支持 .xlsx 格式，请在 Excel 或 WPS 中另存为 .xlsx：{name} / the template must be .xlsx (save it as .xlsx in Excel or WPS): {name}"
    E743 = "未知的单位编号“{value}”（请勿修改“单位编号”列） / unknown unit id '{value}' (leave the 单位编号 column as downloaded)"
    E744 = "该行填了数据但没有单位编号（请勿在表中添加合计等行） / a row with figures has no unit id (do not add totals or other rows)"
    E745 = "单位“{unit}”已在第 {first} 行填报，每个单位只能有一行 / '{unit}' is already on row {first}: one row per unit"
    E746 = "单位“{unit}”不在本模板的填报范围“{scope}”之内 / '{unit}' is outside this template's scope '{scope}'"
    E747 = "模板的列与数据表“{data_set}”不一致（{detail}），请重新下载模板 / the columns do not match the data set '{data_set}' ({detail}): download the template again"
    E748 = "模板行数过多（上限 {limit} 行）：{name} / the template has too many rows (limit {limit}): {name}"
    E749 = "数据表模板中有 {count} 处问题，没有保存任何数据；{first} / the template has {count} problem(s), nothing was saved; {first}"

    # Indicator pages: figures, charts, target bindings (E730–E739)
    E730 = "只有教育局管理员可以绑定计划目标与指标 / only a bureau admin may bind plan targets to indicators"

    # Quality-balance assessment: the bureau's xlsx, what-if, checklist (E820–E859)
    E820 = "没有找到表头行（应有“学校名称”或“学校标识码”列）：{name} / no header row (a 学校名称 or 学校标识码 column): {name}"
    E821 = "表中缺少以下数据列：{missing} / the sheet lacks these columns: {missing}"
    E822 = "本县（区）没有名为或编码为“{value}”的学校 / no school named or coded '{value}' in this county"
    E823 = "学校“{unit}”已在第 {first} 行出现，每所学校只能有一行 / '{unit}' is already on row {first}: one row per school"
    E824 = "表中有 {count} 处问题，没有保存任何数据；{first} / the sheet has {count} problem(s), nothing was saved; {first}"
    E825 = "增加量应为数字（可为负数），而不是“{value}” / the amount added is a number (may be negative), not '{value}'"
    E826 = "年度应为四位数字，而不是“{value}” / a year has four digits, not '{value}'"
    E827 = "只有本县（区）教育局管理员可以{action} / only the county bureau's admin may {action}"
    E828 = "满意人数（{satisfied}）不能大于调查人数（{surveyed}） / satisfied ({satisfied}) cannot exceed surveyed ({surveyed})"
    E829 = "未知的自评项目或状态“{value}” / unknown checklist item or status '{value}'"
    E830 = "优质均衡评估按县（区）进行，“{unit}”不是县（区）教育局、上级教育局或学校 / the assessment is per county: '{unit}' is not a county bureau, an authority above one, or a school"
    E831 = "本县（区）有 {count} 所学校名为“{value}”，请在“学校标识码”列填写标识码以区分 / {count} schools in this county are named '{value}': fill in the 学校标识码 column to tell them apart"
    E832 = "本县（区）没有学校标识码为“{value}”的学校，请核对标识码（不改按学校名称对应） / no school in this county has the 学校标识码 '{value}': check the code (the name is not used instead)"
    E833 = "本县（区）有 {count} 所学校的学校标识码都是“{value}”，请先在单位管理中更正 / {count} schools in this county share the 学校标识码 '{value}': correct them in the unit admin first"

    # Supervision: rounds, findings, rectification, reminders, appraisal (E860–E899)
    E860 = "只有教育局督导人员（管理员）可以{action} / only the bureau's supervision staff (admin) may {action}"
    E861 = "请至少选择一所被督导的学校 / choose at least one school to inspect"
    E862 = "检查清单为空：请选择检查标准、计划部分，或逐行填写检查项目 / the checklist is empty: pick a standard or a plan section, or type the items one a line"
    E863 = "整改时限 {deadline} 早于发现日期 {found} / the rectification deadline {deadline} is before the day it was found {found}"
    E864 = "申请整改销号时请至少上传一份佐证材料（照片或文件） / attach at least one piece of evidence (a photo or a file) to report the rectification done"
    E865 = "整改已销号，不能再填报：{finding} / the rectification is closed: {finding}"
    E866 = "只有已申请销号、等待审核的整改可以审核（当前：{state}） / only a rectification reported done and awaiting review can be signed off (now: {state})"
    E867 = "退回整改时请写明原因 / say why the rectification is sent back"
    E868 = "调整考核得分时请写明理由 / give a reason for adjusting the score"
    E869 = "调整分值应为 -100 到 100 之间的数字，而不是“{value}” / an adjustment is a number from -100 to 100, not '{value}'"
    E870 = "未知的检查标准“{value}” / unknown checklist standard '{value}'"
    E871 = "“{unit}”不在本轮督导的学校范围内 / '{unit}' is not among the schools of this round"
    E872 = "未知的一票否决项“{value}”（可选：{allowed}） / unknown one-vote veto item '{value}' (allowed: {allowed})"
    E873 = "考核年份应为四位数字，而不是“{value}” / an appraisal year has four digits, not '{value}'"
    E874 = "提醒邮件发送失败：{reason}（站内消息已保存） / sending the reminder e-mails failed: {reason} (the inbox messages are kept)"
    E875 = "请填写问题描述 / describe the finding"
    E876 = "未知的严重程度“{value}”（可选 {allowed}） / unknown severity '{value}' (allowed: {allowed})"
    E877 = "请填写整改情况 / describe what was rectified"
    E878 = "未知的教育局“{bureau}” / unknown bureau '{bureau}'"
    E879 = "考核年份“{value}”超出范围（1900–2999） / the appraisal year '{value}' is out of range (1900–2999)"
    E880 = "申请销号的人（{user}）不能审核同一整改，请由其他督导人员审核 / whoever reported the rectification done ({user}) may not review it: another of the supervision staff must"
    E881 = "整改已申请销号、等待审核，审核退回前不能再填报进展 / the rectification awaits review: no progress reports until it is sent back"

    def render(self, **values: object) -> str:
        return f"[{self.name}] " + self.value.format(**values)


class EduplanError(Exception):
    """An error meant for a person: one line, with a stable code."""

    def __init__(self, error: Errors, **values: object) -> None:
        self.error = error
        self.values = values
        super().__init__(error.render(**values))

    @property
    def code(self) -> str:
        return self.error.name
