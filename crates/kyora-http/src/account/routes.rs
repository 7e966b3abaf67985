//! Account handlers: extract, call the account service, map to DTOs.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use kyora_core::DomainError;
use kyora_core::billing::{BillingGates, Limit};
use kyora_core::shared::actor::Role;

use super::dto::{
    AcceptInvitationRequest, CreateInvitationRequest, EmailRequest, GoogleAcceptQuery,
    GoogleLoginRequest, GoogleUrlResponse, InvitationFilter, InvitationResponse, LoginRequest,
    LoginResponse, RefreshRequest, RefreshResponse, ResetPasswordRequest, TokenQuery, TokenRequest,
    UpdateProfileRequest, UpdateRoleRequest, UserResponse, WorkspaceResponse,
};
use crate::extract::{RawBody, StrictJson, StrictQuery, parse_json};
use crate::guard::{
    Authorized, Client, CurrentUser, ManageAccount, Member, Subscribed, ViewAccount,
};
use crate::problem::{ApiError, Problem};
use crate::respond::{json, no_content};
use crate::state::AppState;

type Result<T> = std::result::Result<T, ApiError>;

fn role(raw: &str) -> Result<Role> {
    Role::parse(raw).ok_or_else(|| ApiError(DomainError::invalid_body()))
}

fn required(value: Option<String>, name: &str) -> Result<String> {
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError(DomainError::invalid_query(format!("{name} is required"))))
}

/// Password login.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    state: web::Data<AppState>,
    client: Client,
    body: StrictJson<LoginRequest>,
) -> Result<HttpResponse> {
    let body = body.into_inner();
    let result = state
        .accounts
        .login(&body.email, &body.password, &client.0)
        .await?;
    Ok(json(StatusCode::OK, &LoginResponse::from(result)))
}

/// Rotates a refresh token.
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = RefreshResponse), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn refresh(
    state: web::Data<AppState>,
    client: Client,
    body: StrictJson<RefreshRequest>,
) -> Result<HttpResponse> {
    let pair = state
        .accounts
        .refresh(&body.refresh_token, &client.0)
        .await?;
    Ok(json(StatusCode::OK, &RefreshResponse::from(pair)))
}

/// Revokes the presented session.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn logout(
    state: web::Data<AppState>,
    body: StrictJson<RefreshRequest>,
) -> Result<HttpResponse> {
    state.accounts.logout(&body.refresh_token).await?;
    Ok(no_content())
}

/// Revokes every session and access token of the user.
#[utoipa::path(post, path = "/v1/auth/logout-all", tag = "auth", request_body = RefreshRequest,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn logout_all(
    state: web::Data<AppState>,
    body: StrictJson<RefreshRequest>,
) -> Result<HttpResponse> {
    state.accounts.logout_all(&body.refresh_token).await?;
    Ok(no_content())
}

/// Revokes every other session of the user.
#[utoipa::path(post, path = "/v1/auth/logout-others", tag = "auth", request_body = RefreshRequest,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn logout_others(
    state: web::Data<AppState>,
    body: StrictJson<RefreshRequest>,
) -> Result<HttpResponse> {
    state.accounts.logout_others(&body.refresh_token).await?;
    Ok(no_content())
}

/// The Google consent URL and a state for the client to keep.
#[utoipa::path(get, path = "/v1/auth/google/url", tag = "auth",
    responses((status = 200, body = GoogleUrlResponse), (status = 500, body = Problem)))]
pub async fn google_url(state: web::Data<AppState>) -> Result<HttpResponse> {
    let (url, state) = state.accounts.google_url()?;
    Ok(json(StatusCode::OK, &GoogleUrlResponse { url, state }))
}

/// Signs in with a Google authorization code.
#[utoipa::path(post, path = "/v1/auth/google/login", tag = "auth", request_body = GoogleLoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 500, body = Problem)))]
pub async fn google_login(
    state: web::Data<AppState>,
    client: Client,
    body: StrictJson<GoogleLoginRequest>,
) -> Result<HttpResponse> {
    let result = state.accounts.google_login(&body.code, &client.0).await?;
    Ok(json(StatusCode::OK, &LoginResponse::from(result)))
}

/// Emails a password-reset link (always 204 unless throttled).
#[utoipa::path(post, path = "/v1/auth/forgot-password", tag = "auth", request_body = EmailRequest,
    responses((status = 204), (status = 400, body = Problem), (status = 429, body = Problem)))]
pub async fn forgot_password(
    state: web::Data<AppState>,
    body: StrictJson<EmailRequest>,
) -> Result<HttpResponse> {
    state.accounts.forgot_password(&body.email).await?;
    Ok(no_content())
}

/// Sets a new password from a reset token.
#[utoipa::path(post, path = "/v1/auth/reset-password", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn reset_password(
    state: web::Data<AppState>,
    body: StrictJson<ResetPasswordRequest>,
) -> Result<HttpResponse> {
    state
        .accounts
        .reset_password(&body.token, &body.new_password)
        .await?;
    Ok(no_content())
}

/// Emails a verification link (always 204 unless throttled).
#[utoipa::path(post, path = "/v1/auth/verify-email/request", tag = "auth", request_body = EmailRequest,
    responses((status = 204), (status = 400, body = Problem), (status = 429, body = Problem)))]
pub async fn request_email_verification(
    state: web::Data<AppState>,
    body: StrictJson<EmailRequest>,
) -> Result<HttpResponse> {
    state
        .accounts
        .request_email_verification(&body.email)
        .await?;
    Ok(no_content())
}

/// Marks an email verified.
#[utoipa::path(post, path = "/v1/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: StrictJson<TokenRequest>,
) -> Result<HttpResponse> {
    state.accounts.verify_email(&body.token).await?;
    Ok(no_content())
}

/// Accepts an invitation with a password.
#[utoipa::path(post, path = "/v1/invitations/accept", tag = "invitations",
    params(("token" = String, Query, description = "The invitation token from the email")),
    request_body = AcceptInvitationRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    client: Client,
    query: StrictQuery<TokenQuery>,
    body: RawBody,
) -> Result<HttpResponse> {
    let token = required(query.into_inner().token, "token")?;
    let body: AcceptInvitationRequest = parse_json(&body.0)?;
    let result = state
        .accounts
        .accept_invitation(
            &token,
            body.first_name,
            body.last_name,
            &body.password,
            &client.0,
        )
        .await?;
    Ok(json(StatusCode::OK, &LoginResponse::from(result)))
}

/// Accepts an invitation with Google.
#[utoipa::path(get, path = "/v1/invitations/accept/google", tag = "invitations",
    params(("token" = String, Query, description = "The invitation token"),
        ("code" = String, Query, description = "Google's authorization code")),
    responses((status = 200, body = LoginResponse), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 500, body = Problem)))]
pub async fn accept_invitation_google(
    state: web::Data<AppState>,
    client: Client,
    query: StrictQuery<GoogleAcceptQuery>,
) -> Result<HttpResponse> {
    let query = query.into_inner();
    let token = required(query.token, "token")?;
    let code = required(query.code, "code")?;
    let result = state
        .accounts
        .accept_invitation_with_google(&token, &code, &client.0)
        .await?;
    Ok(json(StatusCode::OK, &LoginResponse::from(result)))
}

/// The signed-in user.
#[utoipa::path(get, path = "/v1/users/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn me(user: CurrentUser) -> Result<HttpResponse> {
    Ok(json(StatusCode::OK, &UserResponse::from(user.0)))
}

/// Changes the signed-in user's names.
#[utoipa::path(patch, path = "/v1/users/me", tag = "users", security(("bearer" = [])),
    request_body = UpdateProfileRequest,
    responses((status = 200, body = UserResponse), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn update_me(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: StrictJson<UpdateProfileRequest>,
) -> Result<HttpResponse> {
    let body = body.into_inner();
    let user = state
        .accounts
        .update_profile(user.0, body.first_name, body.last_name)
        .await?;
    Ok(json(StatusCode::OK, &UserResponse::from(user)))
}

/// The actor's workspace.
#[utoipa::path(get, path = "/v1/workspaces/me", tag = "workspaces", security(("bearer" = [])),
    responses((status = 200, body = WorkspaceResponse), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn workspace(member: Member) -> Result<HttpResponse> {
    Ok(json(
        StatusCode::OK,
        &WorkspaceResponse::from(member.workspace),
    ))
}

/// Every member of the workspace, oldest first.
#[utoipa::path(get, path = "/v1/workspaces/users", tag = "workspaces", security(("bearer" = [])),
    responses((status = 200, body = [UserResponse]), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn members(
    state: web::Data<AppState>,
    auth: Authorized<ViewAccount>,
) -> Result<HttpResponse> {
    let users = state.accounts.members(&auth.member.actor).await?;
    let body: Vec<UserResponse> = users.into_iter().map(UserResponse::from).collect();
    Ok(json(StatusCode::OK, &body))
}

/// One member.
#[utoipa::path(get, path = "/v1/workspaces/users/{userId}", tag = "workspaces", security(("bearer" = [])),
    params(("userId" = String, Path)),
    responses((status = 200, body = UserResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn member(
    state: web::Data<AppState>,
    auth: Authorized<ViewAccount>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    let user = state.accounts.member(&auth.member.actor, &path).await?;
    Ok(json(StatusCode::OK, &UserResponse::from(user)))
}

/// Changes a member's role.
#[utoipa::path(patch, path = "/v1/workspaces/users/{userId}/role", tag = "workspaces", security(("bearer" = [])),
    params(("userId" = String, Path)), request_body = UpdateRoleRequest,
    responses((status = 200, body = UserResponse), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn change_role(
    state: web::Data<AppState>,
    auth: Authorized<ManageAccount>,
    path: web::Path<String>,
    body: StrictJson<UpdateRoleRequest>,
) -> Result<HttpResponse> {
    let role = role(&body.role)?;
    let user = state
        .accounts
        .change_role(&auth.member.actor, &path, role)
        .await?;
    Ok(json(StatusCode::OK, &UserResponse::from(user)))
}

/// Removes a member.
#[utoipa::path(delete, path = "/v1/workspaces/users/{userId}", tag = "workspaces", security(("bearer" = [])),
    params(("userId" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_member(
    state: web::Data<AppState>,
    auth: Authorized<ManageAccount>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    state
        .accounts
        .remove_member(&auth.member.actor, &path)
        .await?;
    Ok(no_content())
}

/// Invites someone to the workspace (gates: manage:account, active subscription, team-member limit;
/// the body is validated after the gates).
#[utoipa::path(post, path = "/v1/workspaces/invitations", tag = "workspaces", security(("bearer" = [])),
    request_body = CreateInvitationRequest,
    responses((status = 201, body = InvitationResponse), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn invite(
    state: web::Data<AppState>,
    gate: Subscribed<ManageAccount>,
    body: RawBody,
) -> Result<HttpResponse> {
    let actor = &gate.member.actor;
    let usage = state.accounts.member_count(&actor.workspace_id).await?;
    BillingGates::limit(&gate.plan, Limit::MaxTeamMembers, usage)?;
    let body: CreateInvitationRequest = parse_json(&body.0)?;
    let invitation = state
        .accounts
        .invite(actor, &body.email, role(&body.role)?)
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &InvitationResponse::from(invitation),
    ))
}

/// The workspace's invitations, optionally of one status.
#[utoipa::path(get, path = "/v1/workspaces/invitations", tag = "workspaces", security(("bearer" = [])),
    params(("status" = Option<String>, Query)),
    responses((status = 200, body = [InvitationResponse]), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn invitations(
    state: web::Data<AppState>,
    auth: Authorized<ManageAccount>,
    query: StrictQuery<InvitationFilter>,
) -> Result<HttpResponse> {
    let status = query.into_inner().status;
    let list = state
        .accounts
        .invitations(&auth.member.actor, status.as_deref())
        .await?;
    let body: Vec<InvitationResponse> = list.into_iter().map(InvitationResponse::from).collect();
    Ok(json(StatusCode::OK, &body))
}

/// Revokes a pending invitation.
#[utoipa::path(delete, path = "/v1/workspaces/invitations/{invitationId}", tag = "workspaces", security(("bearer" = [])),
    params(("invitationId" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    auth: Authorized<ManageAccount>,
    path: web::Path<String>,
) -> Result<HttpResponse> {
    state
        .accounts
        .revoke_invitation(&auth.member.actor, &path)
        .await?;
    Ok(no_content())
}
