<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>AboutBox</name>
    <message>
        <location filename="../../kiosk/ui/about.py" line="130"/>
        <source>About this kiosk</source>
        <translation>เกี่ยวกับเครื่องนี้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="131"/>
        <source>QR payment kiosk</source>
        <translation>เครื่องรับชำระเงินคิวอาร์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="133"/>
        <source>Version</source>
        <translation>เวอร์ชัน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="134"/>
        <source>Settings file</source>
        <translation>ไฟล์ตั้งค่า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="136"/>
        <source>Data folder</source>
        <translation>โฟลเดอร์ข้อมูล</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="137"/>
        <source>Logs</source>
        <translation>บันทึกการทำงาน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="138"/>
        <source>Payment gateway</source>
        <translation>ระบบชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="139"/>
        <source>Kiosk mode</source>
        <translation>โหมดคีออสก์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="144"/>
        <source>In use.</source>
        <translation>ใช้งานอยู่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="146"/>
        <source>Not there yet: the built-in defaults are in use.</source>
        <translation>ยังไม่มีไฟล์: ใช้ค่าเริ่มต้นของโปรแกรม</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="149"/>
        <source>Sandbox (test payments only)</source>
        <translation>แซนด์บ็อกซ์ (ทดสอบการชำระเงินเท่านั้น)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="151"/>
        <source>Villa Payment API</source>
        <translation>Villa Payment API</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="154"/>
        <source>On: closing needs the manager PIN</source>
        <translation>เปิด: ต้องใช้ PIN ผู้จัดการเพื่อปิดโปรแกรม</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="154"/>
        <source>Off</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="156"/>
        <source>Close the kiosk…</source>
        <translation>ปิดโปรแกรม…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="157"/>
        <source>Close</source>
        <translation>ปิดหน้าต่าง</translation>
    </message>
</context>
<context>
    <name>ActionBar</name>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="275"/>
        <source>Reconcile</source>
        <translation>ตรวจสอบยอด</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="276"/>
        <source>Export CSV</source>
        <translation>ส่งออก CSV</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="277"/>
        <source>Close the day (Z)</source>
        <translation>ปิดวัน (Z)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="279"/>
        <source>Close customer display</source>
        <translation>ปิดจอลูกค้า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="281"/>
        <source>Customer display</source>
        <translation>จอลูกค้า</translation>
    </message>
</context>
<context>
    <name>AlreadyRunningBox</name>
    <message>
        <location filename="../../kiosk/ui/already_running.py" line="41"/>
        <source>QR payment kiosk</source>
        <translation>เครื่องรับชำระเงินคิวอาร์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/already_running.py" line="44"/>
        <source>OK</source>
        <translation>ตกลง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/already_running.py" line="48"/>
        <source>Only one kiosk may use this data folder at a time (%1).</source>
        <translation>ใช้โฟลเดอร์ข้อมูลนี้ได้ครั้งละหนึ่งโปรแกรมเท่านั้น (%1)</translation>
    </message>
</context>
<context>
    <name>AttentionBar</name>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="315"/>
        <source>1 sale needs attention: the bank&apos;s answer did not match. Show it</source>
        <translation>มี 1 รายการต้องตรวจสอบ: คำตอบจากธนาคารไม่ตรงกับรายการ แตะเพื่อดู</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="318"/>
        <source>%1 sales need attention: the bank&apos;s answers did not match. Show them</source>
        <translation>มี %1 รายการต้องตรวจสอบ: คำตอบจากธนาคารไม่ตรงกับรายการ แตะเพื่อดู</translation>
    </message>
</context>
<context>
    <name>AttentionModel</name>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="187"/>
        <source>Rung up %1 · flagged %2</source>
        <translation>ขายเมื่อ %1 · แจ้งเตือนเมื่อ %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="188"/>
        <source>The bank&apos;s answer: %1</source>
        <translation>คำตอบจากธนาคาร: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="189"/>
        <source>The bank&apos;s answer: no fields kept</source>
        <translation>คำตอบจากธนาคาร: ไม่มีข้อมูลที่บันทึกไว้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="190"/>
        <source>Clear…</source>
        <translation>ปิดเรื่อง…</translation>
    </message>
</context>
<context>
    <name>AttentionPage</name>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="470"/>
        <source>Needs attention (%1)</source>
        <translation>ต้องตรวจสอบ (%1)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="474"/>
        <source>The bank said these sales were paid, but its answer did not match the sale. Do not hand over goods for them. Check each one in the bank app, then clear it: refunded there, or accepted as it is.</source>
        <translation>ธนาคารแจ้งว่ารายการเหล่านี้ชำระแล้ว แต่คำตอบไม่ตรงกับรายการขาย ห้ามส่งมอบสินค้าสำหรับรายการเหล่านี้ ตรวจสอบแต่ละรายการในแอปธนาคาร แล้วปิดเรื่อง: คืนเงินในแอปธนาคาร หรือยอมรับตามที่ได้รับ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="480"/>
        <source>Nothing needs attention.</source>
        <translation>ไม่มีรายการที่ต้องตรวจสอบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/attention.py" line="481"/>
        <source>Back to the day&apos;s sales</source>
        <translation>กลับไปยอดขายของวัน</translation>
    </message>
</context>
<context>
    <name>ClearForm</name>
    <message>
        <location filename="../../kiosk/ui/manager/clear_form.py" line="216"/>
        <source>Checking…</source>
        <translation>กำลังตรวจสอบ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/clear_form.py" line="232"/>
        <source>%1 cleared: %2.</source>
        <translation>ปิดเรื่อง %1 แล้ว: %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/clear_form.py" line="250"/>
        <source>Touch a sale on the left to clear it.</source>
        <translation>แตะรายการทางซ้ายเพื่อปิดเรื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/clear_form.py" line="265"/>
        <source>What was done?</source>
        <translation>ได้ดำเนินการอย่างไร</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/clear_form.py" line="268"/>
        <source>Note (optional)</source>
        <translation>หมายเหตุ (ไม่บังคับ)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/clear_form.py" line="269"/>
        <source>Manager PIN</source>
        <translation>PIN ผู้จัดการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/clear_form.py" line="270"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/clear_form.py" line="271"/>
        <source>Clear the flag</source>
        <translation>ปิดเรื่อง</translation>
    </message>
</context>
<context>
    <name>CustomerView</name>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="146"/>
        <source>Customer display</source>
        <translation>จอลูกค้า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="216"/>
        <source>Welcome</source>
        <translation>ยินดีต้อนรับ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="279"/>
        <source>Scan with WeChat</source>
        <translation>สแกนด้วย WeChat</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="351"/>
        <source>Amount to pay</source>
        <translation>ยอดที่ต้องชำระ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="352"/>
        <location filename="../../kiosk/ui/customer/view.py" line="403"/>
        <source>%1 baht</source>
        <translation>%1 บาท</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="353"/>
        <source>Scan the QR code to pay</source>
        <translation>สแกนคิวอาร์โค้ดเพื่อชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="359"/>
        <source>Time left %1</source>
        <translation>เหลือเวลา %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="402"/>
        <source>Payment received</source>
        <translation>ได้รับเงินแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="406"/>
        <source>Paid after the QR code had expired. Thank you!</source>
        <translation>ได้รับเงินหลังคิวอาร์โค้ดหมดอายุ ขอบคุณ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="408"/>
        <source>Thank you!</source>
        <translation>ขอบคุณ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="429"/>
        <source>QR code expired</source>
        <translation>คิวอาร์โค้ดหมดอายุ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="430"/>
        <source>Sale cancelled</source>
        <translation>ยกเลิกรายการแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="431"/>
        <source>Payment not completed</source>
        <translation>การชำระเงินไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="432"/>
        <source>Please wait</source>
        <translation>กรุณารอสักครู่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/customer/view.py" line="447"/>
        <source>Please ask the cashier.</source>
        <translation>กรุณาติดต่อพนักงานแคชเชียร์</translation>
    </message>
</context>
<context>
    <name>DayBar</name>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="219"/>
        <source>Manager</source>
        <translation>ผู้จัดการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="220"/>
        <source>Today</source>
        <translation>วันนี้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="221"/>
        <source>Back to sale</source>
        <translation>กลับไปหน้าขาย</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/bars.py" line="222"/>
        <source>Settings</source>
        <translation>ตั้งค่า</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="592"/>
        <location filename="../../kiosk/ui/first_run.py" line="593"/>
        <source>Set up this counter</source>
        <translation>ตั้งค่าเครื่องนี้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="598"/>
        <source>There are no settings yet. Try the kiosk with test payments, or connect it.</source>
        <translation>ยังไม่มีการตั้งค่า ลองใช้เครื่องด้วยการชำระเงินทดสอบ หรือเชื่อมต่อระบบจริง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="600"/>
        <source>The shop and this counter</source>
        <translation>ร้านและเครื่องนี้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="601"/>
        <source>The receipt printer. Test print sends a test page to it.</source>
        <translation>เครื่องพิมพ์ใบเสร็จ ปุ่มพิมพ์ทดสอบจะส่งหน้าทดสอบไปที่เครื่องพิมพ์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="602"/>
        <source>What the receipt says above and below the sale.</source>
        <translation>ข้อความบนใบเสร็จ ส่วนหัวและท้ายรายการขาย</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="604"/>
        <source>The shop&apos;s PromptPay or biller id: every payment QR must pay it. Leave it empty to skip this check.</source>
        <translation>พร้อมเพย์หรือรหัสผู้รับชำระของร้าน: คิวอาร์ชำระเงินทุกอันต้องโอนเข้าบัญชีนี้ เว้นว่างไว้หากไม่ต้องการตรวจ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="608"/>
        <source>Choose the 6-digit manager PIN. It opens settings and the manager screen.</source>
        <translation>ตั้ง PIN ผู้จัดการ 6 หลัก ใช้เปิดการตั้งค่าและหน้าผู้จัดการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="613"/>
        <source>Back</source>
        <translation>ย้อนกลับ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="614"/>
        <source>Next</source>
        <translation>ถัดไป</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="615"/>
        <source>Try it in sandbox mode</source>
        <translation>ลองใช้ในโหมดทดสอบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="616"/>
        <source>Connect to the Villa Payment API</source>
        <translation>เชื่อมต่อ Villa Payment API</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="618"/>
        <source>Production (real payments)</source>
        <translation>ใช้งานจริง (รับเงินจริง)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="619"/>
        <source>Development (test payments)</source>
        <translation>ทดสอบระบบ (ไม่ใช่เงินจริง)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="620"/>
        <source>Another address</source>
        <translation>ที่อยู่อื่น</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="629"/>
        <source>Shop name</source>
        <translation>ชื่อร้าน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="630"/>
        <source>Store id</source>
        <translation>รหัสร้าน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="631"/>
        <source>Counter id</source>
        <translation>รหัสเครื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="632"/>
        <source>Villa server</source>
        <translation>เซิร์ฟเวอร์ Villa</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="633"/>
        <source>API address</source>
        <translation>ที่อยู่ API</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="634"/>
        <source>Cognito user pool id</source>
        <translation>รหัสกลุ่มผู้ใช้ Cognito</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="635"/>
        <source>Cognito client id</source>
        <translation>รหัสแอปไคลเอนต์ Cognito</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="636"/>
        <source>Cognito user name</source>
        <translation>ชื่อผู้ใช้ Cognito</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="637"/>
        <source>AWS region</source>
        <translation>ภูมิภาค AWS</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="638"/>
        <source>Token header</source>
        <translation>รูปแบบส่งโทเคน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="639"/>
        <source>Cognito password</source>
        <translation>รหัสผ่าน Cognito</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="640"/>
        <source>Client secret (if any)</source>
        <translation>รหัสลับของแอปไคลเอนต์ (ถ้ามี)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="647"/>
        <source>Test connection</source>
        <translation>ทดสอบการเชื่อมต่อ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="648"/>
        <source>Test print</source>
        <translation>พิมพ์ทดสอบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="649"/>
        <source>Manager PIN</source>
        <translation>PIN ผู้จัดการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="650"/>
        <source>PIN again</source>
        <translation>PIN อีกครั้ง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="651"/>
        <source>Finish and start</source>
        <translation>เสร็จสิ้นและเริ่มใช้งาน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/first_run.py" line="652"/>
        <source>Start without a PIN (sandbox only)</source>
        <translation>เริ่มโดยไม่มี PIN (เฉพาะโหมดทดสอบ)</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../../kiosk/ui/manager/chart.py" line="104"/>
        <source>No paid sales on this day</source>
        <translation>วันนี้ยังไม่มียอดขายที่ชำระแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/chart.py" line="105"/>
        <source>Busiest hour %1: %2</source>
        <translation>ชั่วโมงขายดีที่สุด %1: %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/chart.py" line="106"/>
        <source>Paid amounts per hour of the day</source>
        <translation>ยอดชำระแล้วในแต่ละชั่วโมงของวัน</translation>
    </message>
</context>
<context>
    <name>KioskGuard</name>
    <message>
        <location filename="../../kiosk/ui/kiosk_mode.py" line="109"/>
        <source>Kiosk mode: the manager PIN cannot be read (no keyring), so the kiosk cannot be closed from the screen. Run `kiosk pin set`, or set KIOSK_SECRET_MANAGER_PIN_HASH from `kiosk pin set --print-hash`.</source>
        <translation>โหมดคีออสก์: อ่าน PIN ผู้จัดการไม่ได้ (ไม่มีพวงกุญแจ) จึงปิดโปรแกรมจากหน้าจอไม่ได้ ให้รัน `kiosk pin set` หรือตั้งค่า KIOSK_SECRET_MANAGER_PIN_HASH จาก `kiosk pin set --print-hash`</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/kiosk_mode.py" line="115"/>
        <source>Kiosk mode: no manager PIN is set up, so the kiosk cannot be closed from the screen. Set one with: kiosk pin set</source>
        <translation>โหมดคีออสก์: ยังไม่ได้ตั้ง PIN ผู้จัดการ จึงปิดโปรแกรมจากหน้าจอไม่ได้ ตั้ง PIN ด้วยคำสั่ง `kiosk pin set`</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="108"/>
        <source>QR payment kiosk</source>
        <translation>เครื่องรับชำระเงินคิวอาร์</translation>
    </message>
</context>
<context>
    <name>ManagerPinPad</name>
    <message>
        <location filename="../../kiosk/ui/manager_access.py" line="51"/>
        <source>Enter the 6-digit manager PIN to open the manager screen.</source>
        <translation>ใส่ PIN ผู้จัดการ 6 หลักเพื่อเปิดหน้าผู้จัดการ</translation>
    </message>
</context>
<context>
    <name>ManagerScreen</name>
    <message>
        <location filename="../../kiosk/ui/manager/screen.py" line="240"/>
        <source>No Z report issued this day.</source>
        <translation>ยังไม่มีรายงาน Z ของวันนี้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/screen.py" line="243"/>
        <source>Last Z report this day: %1.</source>
        <translation>รายงาน Z ล่าสุดของวันนี้: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/screen.py" line="316"/>
        <source>The CSV file could not be saved: %1</source>
        <translation>บันทึกไฟล์ CSV ไม่ได้: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/screen.py" line="323"/>
        <source>Saved 1 order to %2</source>
        <translation>บันทึก 1 รายการไปที่ %2 แล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/screen.py" line="324"/>
        <source>Saved %1 orders to %2</source>
        <translation>บันทึก %1 รายการไปที่ %2 แล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/screen.py" line="368"/>
        <source>Keys: Esc goes back (to the sale screen)</source>
        <translation>ปุ่ม: Esc กลับ (ไปหน้าขาย)</translation>
    </message>
</context>
<context>
    <name>OrderDetail</name>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="159"/>
        <source>Printing…</source>
        <translation>กำลังพิมพ์…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="203"/>
        <source>Tax invoice %1 saved: %2</source>
        <translation>บันทึกใบกำกับภาษี %1 แล้ว: %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="206"/>
        <source>Copy of tax invoice %1 saved: %2</source>
        <translation>บันทึกสำเนาใบกำกับภาษี %1 แล้ว: %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="217"/>
        <source>Printed.</source>
        <translation>พิมพ์แล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="226"/>
        <source>Print receipt again</source>
        <translation>พิมพ์ใบเสร็จอีกครั้ง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="228"/>
        <source>Print record (no money received)</source>
        <translation>พิมพ์บันทึกรายการ (ไม่ได้รับเงิน)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="237"/>
        <source>Touch an order to see its details.</source>
        <translation>แตะรายการเพื่อดูรายละเอียด</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="244"/>
        <source>Status history</source>
        <translation>ประวัติสถานะ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="250"/>
        <source>late payment</source>
        <translation>ชำระล่าช้า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="253"/>
        <source>Status</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="255"/>
        <source>Bill no.</source>
        <translation>เลขที่บิล</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="256"/>
        <source>Rung up</source>
        <translation>เวลาขาย</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="257"/>
        <source>Paid at</source>
        <translation>ชำระเมื่อ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="258"/>
        <source>Gateway order</source>
        <translation>รายการเกตเวย์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="259"/>
        <source>Charge</source>
        <translation>รหัสการชำระ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="260"/>
        <source>Reference</source>
        <translation>อ้างอิง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="266"/>
        <source>Reason</source>
        <translation>สาเหตุ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="269"/>
        <source>The payment service said</source>
        <translation>ข้อความจากระบบชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="285"/>
        <source>⚠ Attention</source>
        <translation>⚠ ต้องตรวจสอบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="287"/>
        <location filename="../../kiosk/ui/manager/detail.py" line="292"/>
        <source>Cleared</source>
        <translation>ปิดเรื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="287"/>
        <source>not yet: see Needs attention</source>
        <translation>ยังไม่ปิด: ดูที่ ต้องตรวจสอบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="294"/>
        <source>Note</source>
        <translation>หมายเหตุ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="296"/>
        <source>The bank&apos;s answer</source>
        <translation>คำตอบจากธนาคาร</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/detail.py" line="321"/>
        <source>Full tax invoice</source>
        <translation>ใบกำกับภาษีเต็มรูป</translation>
    </message>
</context>
<context>
    <name>OrderFilters</name>
    <message>
        <location filename="../../kiosk/ui/manager/table.py" line="128"/>
        <source>%2 of 1 order</source>
        <translation>%2 จาก 1 รายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/table.py" line="128"/>
        <source>%2 of %1 orders</source>
        <translation>%2 จาก %1 รายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/table.py" line="130"/>
        <source>1 order</source>
        <translation>1 รายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/table.py" line="130"/>
        <source>%1 orders</source>
        <translation>%1 รายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/table.py" line="140"/>
        <source>All statuses</source>
        <translation>ทุกสถานะ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/table.py" line="143"/>
        <source>Pending</source>
        <translation>รอชำระ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/table.py" line="147"/>
        <source>All methods</source>
        <translation>ทุกวิธีชำระ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/table.py" line="150"/>
        <source>Search: order no. or amount</source>
        <translation>ค้นหา: เลขที่รายการ หรือจำนวนเงิน</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="376"/>
        <source>Time</source>
        <translation>เวลา</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="377"/>
        <source>Order no.</source>
        <translation>เลขที่รายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="378"/>
        <source>Method</source>
        <translation>วิธีชำระ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="379"/>
        <source>Amount</source>
        <translation>จำนวนเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="380"/>
        <source>Status</source>
        <translation>สถานะ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="381"/>
        <source>Late</source>
        <translation>ล่าช้า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="382"/>
        <source>Bill no.</source>
        <translation>เลขที่บิล</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="383"/>
        <source>Gateway order</source>
        <translation>รายการเกตเวย์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="384"/>
        <source>Charge</source>
        <translation>รหัสการชำระ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="390"/>
        <source>Attention</source>
        <translation>ต้องตรวจสอบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="392"/>
        <source>Refunded</source>
        <translation>คืนเงินแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/model.py" line="393"/>
        <source>Accepted</source>
        <translation>ยอมรับแล้ว</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="248"/>
        <source>Checking…</source>
        <translation>กำลังตรวจสอบ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="254"/>
        <source>Enter the 6-digit manager PIN to close the kiosk.</source>
        <translation>ใส่ PIN ผู้จัดการ 6 หลักเพื่อปิดโปรแกรม</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="279"/>
        <location filename="../../kiosk/ui/pin_pad.py" line="280"/>
        <source>Manager PIN</source>
        <translation>PIN ผู้จัดการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="281"/>
        <source>Clear</source>
        <translation>ล้าง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="282"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="283"/>
        <source>OK</source>
        <translation>ตกลง</translation>
    </message>
</context>
<context>
    <name>QrScreen</name>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="205"/>
        <location filename="../../kiosk/ui/qr_screen.py" line="353"/>
        <source>Order %1</source>
        <translation>รายการ %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="258"/>
        <source>Finishing…</source>
        <translation>กำลังจบรายการ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="259"/>
        <source>Connection problem — still checking</source>
        <translation>การเชื่อมต่อมีปัญหา — ยังคงตรวจสอบอยู่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="260"/>
        <source>Checking…</source>
        <translation>กำลังตรวจสอบ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="261"/>
        <source>Time is up — checking one last time…</source>
        <translation>หมดเวลาแล้ว — กำลังตรวจสอบครั้งสุดท้าย…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="262"/>
        <source>Waiting for payment…</source>
        <translation>รอการชำระเงิน…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="331"/>
        <source>Keys: Enter or Esc keep waiting · - cancels</source>
        <translation>ปุ่ม: Enter หรือ Esc รอต่อ · - ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="333"/>
        <source>Keys: Esc asks to cancel the sale</source>
        <translation>ปุ่ม: Esc ถามก่อนยกเลิกรายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="344"/>
        <source>Scan to pay</source>
        <translation>สแกนเพื่อชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="345"/>
        <source>Cancel sale</source>
        <translation>ยกเลิกรายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="346"/>
        <source>Cancel this sale? The QR code will stop working.</source>
        <translation>ยกเลิกรายการนี้หรือไม่? คิวอาร์โค้ดจะใช้ไม่ได้อีก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="347"/>
        <source>Yes, cancel</source>
        <translation>ใช่ ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="348"/>
        <source>Keep waiting</source>
        <translation>รอต่อ</translation>
    </message>
</context>
<context>
    <name>ReconcilePage</name>
    <message>
        <location filename="../../kiosk/ui/manager/reconcile.py" line="75"/>
        <source>Checking open orders with the bank…</source>
        <translation>กำลังตรวจสอบรายการที่ค้างอยู่กับธนาคาร…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/reconcile.py" line="93"/>
        <source>Checking open orders with the bank… %1 of %2</source>
        <translation>กำลังตรวจสอบรายการที่ค้างอยู่กับธนาคาร… %1 จาก %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/reconcile.py" line="101"/>
        <source>late payment</source>
        <translation>ชำระล่าช้า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/reconcile.py" line="110"/>
        <source>not checked: %1</source>
        <translation>ตรวจสอบไม่ได้: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/reconcile.py" line="115"/>
        <source>1 open order checked: %2 changed, %3 not checked, %4 still open.</source>
        <translation>ตรวจสอบรายการค้าง 1 รายการ: เปลี่ยนสถานะ %2 ตรวจสอบไม่ได้ %3 ยังค้างอยู่ %4</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/reconcile.py" line="116"/>
        <source>%1 open orders checked: %2 changed, %3 not checked, %4 still open.</source>
        <translation>ตรวจสอบรายการค้าง %1 รายการ: เปลี่ยนสถานะ %2 ตรวจสอบไม่ได้ %3 ยังค้างอยู่ %4</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/reconcile.py" line="123"/>
        <source>No open orders: nothing to check.</source>
        <translation>ไม่มีรายการค้าง ไม่มีอะไรต้องตรวจสอบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/reconcile.py" line="134"/>
        <source>Done</source>
        <translation>เสร็จสิ้น</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="244"/>
        <source>New sale</source>
        <translation>รายการใหม่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="245"/>
        <source>Try again</source>
        <translation>ลองอีกครั้ง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="247"/>
        <source>Keys: Enter new sale</source>
        <translation>ปุ่ม: Enter รายการใหม่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="247"/>
        <source>digits type the next amount</source>
        <translation>ตัวเลข พิมพ์ยอดถัดไป</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="249"/>
        <source>+ try again</source>
        <translation>+ ลองอีกครั้ง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="251"/>
        <source>* switch method</source>
        <translation>* เปลี่ยนวิธีชำระ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="258"/>
        <source>Use %1</source>
        <translation>ใช้ %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="261"/>
        <source>Paid</source>
        <translation>ชำระแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="262"/>
        <source>Payment failed</source>
        <translation>ชำระเงินไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="263"/>
        <source>QR code expired</source>
        <translation>คิวอาร์โค้ดหมดอายุ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="264"/>
        <source>Sale cancelled</source>
        <translation>ยกเลิกรายการแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="271"/>
        <source>Sale not recorded</source>
        <translation>ไม่ได้บันทึกรายการขาย</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="275"/>
        <source>Do not take the money again. Call the manager.</source>
        <translation>ห้ามรับเงินซ้ำ กรุณาเรียกผู้จัดการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="278"/>
        <source>Do not hand over the goods</source>
        <translation>ห้ามส่งมอบสินค้า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="282"/>
        <source>Late payment: the money arrived after the sale had ended.</source>
        <translation>ชำระล่าช้า: เงินเข้าหลังจากรายการสิ้นสุดแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="285"/>
        <source>The customer&apos;s bank declined the payment.</source>
        <translation>ธนาคารของลูกค้าปฏิเสธการชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="289"/>
        <source>The payment could not be completed.</source>
        <translation>ไม่สามารถชำระเงินให้เสร็จสิ้นได้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="291"/>
        <source>No payment arrived in time. No money was taken.</source>
        <translation>ไม่มีการชำระเงินภายในเวลาที่กำหนด ไม่มีการตัดเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="293"/>
        <source>No money was taken.</source>
        <translation>ไม่มีการตัดเงิน</translation>
    </message>
</context>
<context>
    <name>SaleScreen</name>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="380"/>
        <source>Creating the payment…</source>
        <translation>กำลังสร้างรายการชำระเงิน…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="382"/>
        <source>Type the amount, choose how to pay, then press Charge.</source>
        <translation>ใส่จำนวนเงิน เลือกวิธีชำระ แล้วกด เรียกเก็บเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="443"/>
        <source>ภาษาไทย</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="444"/>
        <source>About</source>
        <translation>เกี่ยวกับ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="445"/>
        <source>Manager</source>
        <translation>ผู้จัดการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="448"/>
        <source>Charge</source>
        <translation>เรียกเก็บเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="449"/>
        <source>Bill no.</source>
        <translation>เลขที่บิล</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="450"/>
        <source>tap or F2, then type or scan</source>
        <translation>แตะหรือกด F2 แล้วพิมพ์หรือสแกน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="451"/>
        <source>Clear</source>
        <translation>ล้าง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="454"/>
        <source>Keys: digits and . type · Backspace erases · Enter charges · Esc clears · F2 bill no.</source>
        <translation>ปุ่ม: ตัวเลขและ . พิมพ์ยอด · Backspace ลบ · Enter เรียกเก็บเงิน · Esc ล้าง · F2 เลขที่บิล</translation>
    </message>
</context>
<context>
    <name>SandboxBanner</name>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="69"/>
        <source>SANDBOX — test payments only, no real money</source>
        <translation>โหมดทดสอบ (SANDBOX) — ไม่ใช่เงินจริง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="70"/>
        <source>Customer will:</source>
        <translation>ลูกค้าจะ:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="72"/>
        <source>pay after a few seconds</source>
        <translation>ชำระภายในไม่กี่วินาที</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="73"/>
        <source>be declined</source>
        <translation>ถูกปฏิเสธ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="74"/>
        <source>never pay</source>
        <translation>ไม่ชำระเลย</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="78"/>
        <source>not known</source>
        <translation>ไม่ทราบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="79"/>
        <source>Simulate customer payment</source>
        <translation>จำลองการชำระเงินของลูกค้า</translation>
    </message>
</context>
<context>
    <name>ScopeSwitch</name>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="509"/>
        <source>This counter</source>
        <translation>เครื่องนี้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="510"/>
        <source>Whole store</source>
        <translation>ทั้งร้าน</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../kiosk/ui/settings_dialog.py" line="457"/>
        <source>Kiosk settings</source>
        <translation>การตั้งค่าเครื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/settings_dialog.py" line="458"/>
        <source>Test connection</source>
        <translation>ทดสอบการเชื่อมต่อ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/settings_dialog.py" line="459"/>
        <source>Test print</source>
        <translation>พิมพ์ทดสอบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/settings_dialog.py" line="460"/>
        <source>Save</source>
        <translation>บันทึก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/settings_dialog.py" line="461"/>
        <source>Close</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/settings_dialog.py" line="462"/>
        <source>Restart now</source>
        <translation>เริ่มใหม่ตอนนี้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/settings_dialog.py" line="475"/>
        <source>leave empty to keep the stored one</source>
        <translation>เว้นว่างเพื่อใช้ค่าที่บันทึกไว้</translation>
    </message>
</context>
<context>
    <name>StoreOrdersModel</name>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="161"/>
        <source>Time</source>
        <translation>เวลา</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="162"/>
        <source>Counter</source>
        <translation>เครื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="163"/>
        <source>Order</source>
        <translation>รายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="164"/>
        <source>Amount (THB)</source>
        <translation>จำนวนเงิน (บาท)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="165"/>
        <source>Method</source>
        <translation>ช่องทาง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="166"/>
        <source>Status</source>
        <translation>สถานะ</translation>
    </message>
</context>
<context>
    <name>StorePage</name>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="298"/>
        <location filename="../../kiosk/ui/manager/store_page.py" line="473"/>
        <source>All counters</source>
        <translation>ทุกเครื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="334"/>
        <source>Behind: %1</source>
        <translation>ข้อมูลล่าช้า: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="340"/>
        <source>Flagged: %1</source>
        <translation>มีข้อสังเกต: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="347"/>
        <source>conflict (%1)</source>
        <translation>ข้อมูลขัดแย้ง (%1)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="349"/>
        <source>journal replaced</source>
        <translation>เปลี่ยนสมุดบันทึกใหม่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="351"/>
        <source>same terminal id twice</source>
        <translation>รหัสเครื่องซ้ำกัน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="357"/>
        <source>%1 (this counter: %2 records not sent)</source>
        <translation>%1 (เครื่องนี้: ยังไม่ได้ส่ง %2 รายการ)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="363"/>
        <source>%1 (nothing heard for %2 min)</source>
        <translation>%1 (ไม่มีข้อมูลมา %2 นาที)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="383"/>
        <source>Paid %1 THB (%2)</source>
        <translation>ชำระแล้ว %1 บาท (%2)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="393"/>
        <source>Showing what was read at %1.</source>
        <translation>แสดงข้อมูลที่อ่านไว้เมื่อ %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="397"/>
        <source>Nothing to show.</source>
        <translation>ไม่มีข้อมูลให้แสดง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="400"/>
        <source>Read-only. This counter cannot reach the store database: %1 %2</source>
        <translation>ดูได้อย่างเดียว เครื่องนี้ติดต่อฐานข้อมูลของร้านไม่ได้: %1 %2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="408"/>
        <source>Read-only: every counter&apos;s sales as the store database has them. Nothing here changes a sale.</source>
        <translation>ดูได้อย่างเดียว: ยอดขายของทุกเครื่องตามที่อยู่ในฐานข้อมูลของร้าน หน้านี้ไม่เปลี่ยนแปลงรายการขายใด ๆ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="445"/>
        <source>PDF: %1</source>
        <translation>ไฟล์ PDF: %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="459"/>
        <source>Refresh</source>
        <translation>โหลดใหม่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="460"/>
        <source>Close the store</source>
        <translation>ปิดยอดร้าน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="463"/>
        <source>Counter</source>
        <translation>เครื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="464"/>
        <source>Paid</source>
        <translation>ชำระแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="465"/>
        <source>By method</source>
        <translation>ตามช่องทาง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="466"/>
        <source>Last sync</source>
        <translation>ซิงก์ล่าสุด</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="467"/>
        <source>Unsynced</source>
        <translation>ยังไม่ซิงก์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/store_page.py" line="468"/>
        <source>Flags</source>
        <translation>ข้อสังเกต</translation>
    </message>
</context>
<context>
    <name>TaxInvoiceForm</name>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="35"/>
        <source>Full tax invoice</source>
        <translation>ใบกำกับภาษีเต็มรูป</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="37"/>
        <source>Full tax invoice for %1</source>
        <translation>ใบกำกับภาษีเต็มรูปของรายการ %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="55"/>
        <source>Issue and print</source>
        <translation>ออกและพิมพ์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="56"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="70"/>
        <source>Buyer&apos;s name</source>
        <translation>ชื่อผู้ซื้อ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="71"/>
        <source>Address</source>
        <translation>ที่อยู่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="72"/>
        <source>Tax ID (13 digits)</source>
        <translation>เลขประจำตัวผู้เสียภาษี (13 หลัก)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="73"/>
        <source>Branch (00000 = head office)</source>
        <translation>สาขา (00000 = สำนักงานใหญ่)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/tax_form.py" line="93"/>
        <source>Check the name, the address and the 13-digit tax ID.</source>
        <translation>ตรวจชื่อ ที่อยู่ และเลขประจำตัวผู้เสียภาษี 13 หลักอีกครั้ง</translation>
    </message>
</context>
<context>
    <name>TotalsPanel</name>
    <message>
        <location filename="../../kiosk/ui/manager/totals.py" line="116"/>
        <source>Paid late</source>
        <translation>ชำระล่าช้า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/totals.py" line="117"/>
        <source>Pending</source>
        <translation>รอชำระ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/totals.py" line="124"/>
        <source>1 order</source>
        <translation>1 รายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/totals.py" line="124"/>
        <source>%1 orders</source>
        <translation>%1 รายการ</translation>
    </message>
</context>
<context>
    <name>ZReportPage</name>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="117"/>
        <source>Issue Z report %1? It closes every sale since %2. Once issued it cannot be changed.</source>
        <translation>ออกรายงาน Z %1 หรือไม่ ปิดทุกรายการตั้งแต่ %2 เมื่อออกแล้วจะแก้ไขไม่ได้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="128"/>
        <source>1 order is still open: the report lists it, and it is counted when it settles.</source>
        <translation>ยังมี 1 รายการที่ยังไม่จบ รายงานจะแสดงไว้ และนับรายการนั้นในรอบที่ชำระหรือจบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="131"/>
        <source>%1 orders are still open: the report lists them, and each is counted when it settles.</source>
        <translation>ยังมี %1 รายการที่ยังไม่จบ รายงานจะแสดงไว้ และนับแต่ละรายการในรอบที่ชำระหรือจบ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="137"/>
        <source>1 sale still needs attention; the report will list it as open.</source>
        <translation>ยังมี 1 รายการที่ต้องตรวจสอบ รายงานจะแสดงว่ายังไม่ปิดเรื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="141"/>
        <source>%1 sales still need attention; the report will list them as open.</source>
        <translation>ยังมี %1 รายการที่ต้องตรวจสอบ รายงานจะแสดงว่ายังไม่ปิดเรื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="180"/>
        <source>Printing…</source>
        <translation>กำลังพิมพ์…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="195"/>
        <source>Needs attention: %1 of this batch&apos;s sales; %2 still open (any day).</source>
        <translation>ต้องตรวจสอบ: %1 รายการของรอบนี้ ยังไม่ปิดเรื่อง %2 รายการ (ทุกรอบ)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="201"/>
        <source>still open</source>
        <translation>ยังไม่ปิดเรื่อง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="220"/>
        <source>Close the day</source>
        <translation>ปิดวัน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="221"/>
        <source>Print a copy</source>
        <translation>พิมพ์สำเนา</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manager/zpage.py" line="222"/>
        <source>Back</source>
        <translation>กลับ</translation>
    </message>
</context>
</TS>
