; Indonesian messages for the BMT Desktop installer (Inno Setup 6).
;
; Inno Setup ships no Indonesian translation. bmt_desktop.iss reads Default.isl first and
; this file after it (MessagesFile: "compiler:Default.isl,Indonesian.isl"), so what is
; translated here overrides the English text and anything not here stays English: the
; messages a teller meets during a per-user install and uninstall are all here.
; ASCII only on purpose (LanguageCodePage=0).

[LangOptions]
LanguageName=Bahasa Indonesia
LanguageID=$0421
LanguageCodePage=0

[Messages]

; *** Application titles
SetupAppTitle=Instalasi
SetupWindowTitle=Instalasi - %1
UninstallAppTitle=Hapus Program
UninstallAppFullTitle=Hapus %1

; *** Misc. common
InformationTitle=Informasi
ConfirmTitle=Konfirmasi
ErrorTitle=Kesalahan

; *** Startup
SetupLdrStartupMessage=Program ini akan memasang %1. Lanjutkan?
SetupAlreadyRunning=Instalasi sudah berjalan.
WindowsVersionNotSupported=Program ini tidak mendukung versi Windows di komputer ini.
SetupAppRunningError=%1 sedang berjalan.%n%nTutup semua jendelanya sekarang, lalu klik OK untuk melanjutkan, atau Batal untuk keluar.
UninstallAppRunningError=%1 sedang berjalan.%n%nTutup semua jendelanya sekarang, lalu klik OK untuk melanjutkan, atau Batal untuk keluar.
ErrorCreatingDir=Instalasi tidak dapat membuat folder "%1"

; *** Setup common messages
ExitSetupTitle=Keluar dari Instalasi
ExitSetupMessage=Instalasi belum selesai. Jika keluar sekarang, program tidak terpasang.%n%nInstalasi dapat dijalankan lagi lain waktu.%n%nKeluar dari Instalasi?

; *** Buttons
ButtonBack=< &Kembali
ButtonNext=&Lanjut >
ButtonInstall=&Pasang
ButtonOK=OK
ButtonCancel=Batal
ButtonYes=&Ya
ButtonYesToAll=Ya untuk &semua
ButtonNo=&Tidak
ButtonNoToAll=T&idak untuk semua
ButtonFinish=&Selesai
ButtonBrowse=&Telusuri...
ButtonWizardBrowse=T&elusuri...
ButtonNewFolder=&Buat folder baru

; *** "Select Language" dialog
SelectLanguageTitle=Pilih Bahasa Instalasi
SelectLanguageLabel=Pilih bahasa yang dipakai selama instalasi.

; *** Common wizard text
ClickNext=Klik Lanjut untuk melanjutkan, atau Batal untuk keluar dari Instalasi.
BrowseDialogTitle=Pilih Folder
BrowseDialogLabel=Pilih folder dalam daftar di bawah, lalu klik OK.
NewFolderName=Folder Baru

; *** "Welcome" page
WelcomeLabel1=Selamat datang di Instalasi [name]
WelcomeLabel2=Program ini akan memasang [name/ver] di komputer Anda.%n%nSebaiknya tutup aplikasi lain sebelum melanjutkan.

; *** "Select Destination Location" page
WizardSelectDir=Pilih Lokasi Tujuan
SelectDirDesc=Di mana [name] akan dipasang?
SelectDirLabel3=Instalasi akan memasang [name] ke folder berikut.
SelectDirBrowseLabel=Untuk melanjutkan, klik Lanjut. Untuk memilih folder lain, klik Telusuri.
DiskSpaceMBLabel=Dibutuhkan ruang kosong sekurang-kurangnya [mb] MB.
DirExistsTitle=Folder Sudah Ada
DirExists=Folder:%n%n%1%n%nsudah ada. Tetap pasang ke folder itu?
DirDoesntExistTitle=Folder Belum Ada
DirDoesntExist=Folder:%n%n%1%n%nbelum ada. Buat folder itu?

; *** "Select Additional Tasks" page
WizardSelectTasks=Pilih Tugas Tambahan
SelectTasksDesc=Tugas tambahan apa yang dijalankan?
SelectTasksLabel2=Pilih tugas tambahan yang dijalankan saat memasang [name], lalu klik Lanjut.

; *** "Ready to Install" page
WizardReady=Siap Memasang
ReadyLabel1=Instalasi siap memasang [name] di komputer Anda.
ReadyLabel2a=Klik Pasang untuk memulai, atau Kembali untuk meninjau atau mengubah pilihan.
ReadyLabel2b=Klik Pasang untuk memulai.
ReadyMemoDir=Lokasi tujuan:
ReadyMemoGroup=Folder Menu Start:
ReadyMemoTasks=Tugas tambahan:

; *** "Preparing to Install" page
WizardPreparing=Bersiap Memasang
PreparingDesc=Instalasi sedang bersiap memasang [name] di komputer Anda.
CannotContinue=Instalasi tidak dapat dilanjutkan. Klik Batal untuk keluar.
ApplicationsFound=Aplikasi berikut memakai berkas yang perlu diperbarui. Sebaiknya Instalasi menutupnya secara otomatis.
ApplicationsFound2=Aplikasi berikut memakai berkas yang perlu diperbarui. Sebaiknya Instalasi menutupnya secara otomatis. Setelah instalasi selesai, Instalasi akan mencoba membukanya kembali.
CloseApplications=&Tutup aplikasi secara otomatis
DontCloseApplications=&Jangan tutup aplikasi
ErrorCloseApplications=Instalasi tidak dapat menutup semua aplikasi secara otomatis. Sebaiknya tutup sendiri aplikasi yang memakai berkas yang perlu diperbarui sebelum melanjutkan.

; *** "Installing" page
WizardInstalling=Memasang
InstallingLabel=Tunggu sebentar, Instalasi sedang memasang [name] di komputer Anda.

; *** "Setup Completed" page
FinishedHeadingLabel=Instalasi [name] Selesai
FinishedLabelNoIcons=Instalasi telah memasang [name] di komputer Anda.
FinishedLabel=Instalasi telah memasang [name] di komputer Anda. Program dapat dibuka lewat pintasan yang dipasang.
ClickFinish=Klik Selesai untuk keluar dari Instalasi.
RunEntryExec=Jalankan %1
RunEntryShellExec=Lihat %1

; *** Installation phase
SetupAborted=Instalasi tidak selesai.%n%nPerbaiki masalahnya, lalu jalankan Instalasi lagi.
AbortRetryIgnoreChooseAction=Pilih tindakan
AbortRetryIgnoreRetry=Coba lagi
AbortRetryIgnoreProceedAnyway=Tetap lanjutkan
AbortRetryIgnoreCancel=Batalkan instalasi

; *** Status messages
StatusClosingApplications=Menutup aplikasi...
StatusCreateDirs=Membuat folder...
StatusExtractFiles=Menyalin berkas...
StatusCreateIcons=Membuat pintasan...
StatusCreateRegistryEntries=Membuat entri registri...
StatusSavingUninstall=Menyimpan informasi penghapusan...
StatusRunProgram=Menyelesaikan instalasi...
StatusRestartingApplications=Membuka kembali aplikasi...
StatusRollback=Membatalkan perubahan...

; *** Uninstall display name
UninstallDisplayNameMarkCurrentUser=pengguna ini

; *** Uninstaller
UninstallStatusLabel=Tunggu sebentar, %1 sedang dihapus dari komputer Anda.
UninstalledAll=%1 telah dihapus dari komputer Anda.
UninstalledMost=Penghapusan %1 selesai.%n%nBeberapa bagian tidak dapat dihapus; bagian itu dapat dihapus sendiri.
WizardUninstalling=Status Penghapusan
StatusUninstalling=Menghapus %1...

[CustomMessages]
NameAndVersion=%1 versi %2
AdditionalIcons=Pintasan tambahan:
CreateDesktopIcon=Buat pintasan di &desktop
UninstallProgram=Hapus %1
LaunchProgram=Jalankan %1
