package harden

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// allowed is what the process's own user may still do to it: see that it runs, wait
// for it and end it (Task Manager, the single-instance check). Everything else —
// PROCESS_VM_READ, PROCESS_VM_WRITE, PROCESS_DUP_HANDLE, PROCESS_CREATE_THREAD,
// debugging — is absent from the DACL and so denied to every same-user program.
const allowed = windows.PROCESS_QUERY_LIMITED_INFORMATION | windows.SYNCHRONIZE | windows.PROCESS_TERMINATE

// apply replaces the process object's DACL with one protected (not inherited) entry
// for the current user granting only allowed. The default DACL gives the user
// PROCESS_ALL_ACCESS, which is what lets any of their programs read the process's
// memory with ReadProcessMemory. Administrators holding SeDebugPrivilege bypass DACLs.
func apply() error {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return fmt.Errorf("cannot find the process's user: %w", err)
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: allowed,
		AccessMode:        windows.GRANT_ACCESS,
		Inheritance:       windows.NO_INHERITANCE,
		Trustee: windows.TRUSTEE{
			TrusteeForm:  windows.TRUSTEE_IS_SID,
			TrusteeType:  windows.TRUSTEE_IS_USER,
			TrusteeValue: windows.TrusteeValueFromSID(tu.User.Sid),
		},
	}}, nil)
	if err != nil {
		return fmt.Errorf("cannot build the process's access list: %w", err)
	}
	err = windows.SetSecurityInfo(windows.CurrentProcess(), windows.SE_KERNEL_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, acl, nil)
	if err != nil {
		return fmt.Errorf("cannot restrict access to the process: %w", err)
	}
	return nil
}
